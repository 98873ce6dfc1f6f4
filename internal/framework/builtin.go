package framework

import (
	"embed"
	"fmt"
	"sync"
)

//go:embed builtin/county-2019.yaml
var builtinFS embed.FS

// DefaultFile is the name of the embedded default framework.
const DefaultFile = "builtin/county-2019.yaml"

var defaultOnce = sync.OnceValue(func() *Framework {
	fw, _, err := Load(builtinFS, DefaultFile)
	if err != nil {
		// The embedded file is tested; failing here is a programmer error.
		panic(fmt.Sprintf("framework: embedded default does not load:\n%v", err))
	}
	return fw
})

// Default returns lvzhi's embedded default framework: a county-level
// framework of 24 evaluation points in 5 areas summing to 100, bonus items
// capped at 5, bands A ≥ 90, B ≥ 80, C ≥ 65, D below, and downgrade rules.
func Default() *Framework { return defaultOnce() }

// DefaultSource returns the YAML text of the default framework, for users
// who want to start their own framework from it.
func DefaultSource() []byte {
	b, _ := builtinFS.ReadFile(DefaultFile)
	return b
}
