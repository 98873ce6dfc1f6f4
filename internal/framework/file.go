package framework

import "go.yaml.in/yaml/v3"

// The YAML file format, decoded strictly (unknown keys are errors). Numbers
// are read as strings so that 0.1 stays exactly 0.1. docs/framework.md
// documents every field.

type fileFramework struct {
	Framework   fileMeta         `yaml:"framework"`
	Params      yaml.Node        `yaml:"params"`
	Items       []fileItem       `yaml:"items"`
	Validations []fileValidation `yaml:"validations"`
	Areas       []fileArea       `yaml:"areas"`
	Bonus       fileBonus        `yaml:"bonus"`
	Grades      []fileBand       `yaml:"grades"`
	Downgrades  []fileDowngrade  `yaml:"downgrades"`
}

type fileMeta struct {
	ID      string `yaml:"id"`
	Name    string `yaml:"name"`
	Year    string `yaml:"year"`
	Level   string `yaml:"level"`
	Version string `yaml:"version"`
	Total   string `yaml:"total"`
	Issuer  string `yaml:"issuer"`
}

type fileItem struct {
	Code     string   `yaml:"code"`
	Name     string   `yaml:"name"`
	Aliases  []string `yaml:"aliases"`
	Unit     string   `yaml:"unit"`
	Type     string   `yaml:"type"`
	Min      string   `yaml:"min"`
	Max      string   `yaml:"max"`
	Values   []string `yaml:"values"`
	Required *bool    `yaml:"required"`
	Default  string   `yaml:"default"`
	Formula  string   `yaml:"formula"`
	Prev     string   `yaml:"prev"`
	Decimals *int     `yaml:"decimals"`
	Note     string   `yaml:"note"`
}

type fileValidation struct {
	Code     string `yaml:"code"`
	Expr     string `yaml:"expr"`
	Severity string `yaml:"severity"`
	Message  string `yaml:"message"`
}

type fileArea struct {
	Code   string      `yaml:"code"`
	Name   string      `yaml:"name"`
	Points []filePoint `yaml:"points"`
}

type filePoint struct {
	Code     string          `yaml:"code"`
	Name     string          `yaml:"name"`
	Max      string          `yaml:"max"`
	Mode     string          `yaml:"mode"`
	Evidence []string        `yaml:"evidence"`
	Rule     string          `yaml:"rule"`
	Reason   string          `yaml:"reason"`
	Rubric   string          `yaml:"rubric"`
	Rating   yaml.Node       `yaml:"rating"`
	Criteria []fileCriterion `yaml:"criteria"`
	Veto     []fileVeto      `yaml:"veto"`
}

type fileCriterion struct {
	Code   string    `yaml:"code"`
	Name   string    `yaml:"name"`
	Max    string    `yaml:"max"`
	Rule   string    `yaml:"rule"`
	Reason string    `yaml:"reason"`
	Rubric string    `yaml:"rubric"`
	Rating yaml.Node `yaml:"rating"`
}

type fileVeto struct {
	When   string `yaml:"when"`
	Reason string `yaml:"reason"`
}

type fileBonus struct {
	Cap   string          `yaml:"cap"`
	Items []fileBonusItem `yaml:"items"`
}

type fileBonusItem struct {
	Code string `yaml:"code"`
	Name string `yaml:"name"`
	Each string `yaml:"each"`
	Max  string `yaml:"max"`
	Note string `yaml:"note"`
}

type fileBand struct {
	Grade string `yaml:"grade"`
	Label string `yaml:"label"`
	Min   string `yaml:"min"`
	Below string `yaml:"below"`
}

type fileDowngrade struct {
	Code   string `yaml:"code"`
	Kind   string `yaml:"kind"`
	Grade  string `yaml:"grade"`
	Floor  string `yaml:"floor"`
	When   string `yaml:"when"`
	Reason string `yaml:"reason"`
}
