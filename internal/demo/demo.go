package demo

import (
	_ "embed"

	"lvzhi/internal/datafile"
	"lvzhi/internal/framework"
)

//go:embed wuxing-2019.yaml
var wuxing []byte

// WuxingFile is the name the demo county's data file is reported under.
const WuxingFile = "demo/wuxing-2019.yaml"

// WuxingSource returns the demo county's data file.
func WuxingSource() []byte { return wuxing }

// Wuxing returns the demo county read for framework fw.
func Wuxing(fw *framework.Framework) (*datafile.County, error) {
	return datafile.Parse(WuxingFile, wuxing, fw)
}
