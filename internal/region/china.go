package region

import (
	_ "embed"
	"sync"
)

//go:embed china.csv
var chinaCSV []byte

// ChinaFile is the name problems in the embedded list are reported under.
const ChinaFile = "region/china.csv"

// ChinaSource returns the embedded list of China's divisions (see
// SOURCE.md), in the format Parse reads.
func ChinaSource() []byte { return chinaCSV }

var china = sync.OnceValue(func() *Set {
	rows, err := Parse(ChinaFile, chinaCSV, nil)
	if err != nil {
		// The file is part of the binary and tested; a bad one is a
		// build mistake.
		panic("region: embedded list: " + err.Error())
	}
	return NewSet(rows...)
})

// China returns the embedded list of China's 31 provinces, 337
// prefecture-level and 2,846 county-level divisions.
func China() *Set { return china() }
