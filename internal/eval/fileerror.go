package eval

import (
	"fmt"
	"strings"
)

// FileProblem is one thing wrong with an input file, at a line of it.
type FileProblem struct {
	File    string
	Line    int
	Message string
}

func (p FileProblem) String() string { return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message) }

// FileError lists every problem found in an input file, in line order, one
// "FILE:LINE: message" per line. It matches ErrInvalid under errors.Is.
type FileError struct {
	Problems []FileProblem
}

func (e *FileError) Error() string {
	s := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		s[i] = p.String()
	}
	return strings.Join(s, "\n")
}

// Is makes errors.Is(err, ErrInvalid) true for a *FileError.
func (e *FileError) Is(target error) bool { return target == ErrInvalid }
