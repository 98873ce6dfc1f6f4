package store

import "fmt"

// FrameworkSHA256 returns the stored SHA-256 of a framework version's text
// without reading the text, so that a caller holding a parsed copy keyed by
// that hash can skip reading and parsing it again. An unknown version
// matches eval.ErrNotFound. (Added for internal/app's framework cache.)
func (tx *Tx) FrameworkSHA256(id, version string) (string, error) {
	var sum string
	err := tx.queryRow("SELECT sha256 FROM frameworks WHERE id = ? AND version = ?", id, version).Scan(&sum)
	if err != nil {
		return "", rowErr(err, "find framework "+id+" "+version, fmt.Sprintf("指标体系 %s 版本 %s", id, version))
	}
	return sum, nil
}
