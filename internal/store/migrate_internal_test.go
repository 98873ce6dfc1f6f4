package store

import (
	"io/fs"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Both dialects must have the same migration files, numbered 1, 2, … (a
// merge accident shows up here before it reaches a database).
func TestMigrationFoldersMatch(t *testing.T) {
	names := map[dialect][]string{}
	for _, d := range []dialect{sqlite, postgres} {
		steps, err := migrations(d)
		if err != nil {
			t.Fatalf("migrations(%s): %v", d.name(), err)
		}
		for _, m := range steps {
			names[d] = append(names[d], m.name)
		}
	}
	if len(names[sqlite]) == 0 {
		t.Fatal("no migrations embedded")
	}
	if diff := cmp.Diff(names[sqlite], names[postgres]); diff != "" {
		t.Errorf("migration files differ between sqlite and postgres (-sqlite +postgres):\n%s", diff)
	}
	entries, _ := fs.ReadDir(migrationFiles, "migrations")
	if len(entries) != 2 {
		t.Errorf("migrations/ holds %d folders, want sqlite and postgres", len(entries))
	}
}

func TestRebind(t *testing.T) {
	tests := []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"a = ? AND b = ?", "a = $1 AND b = $2"},
		{"x = '?' AND y = ?", "x = '?' AND y = $1"},
	}
	for _, tc := range tests {
		if got := postgres.rebind(tc.in); got != tc.want {
			t.Errorf("rebind(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got := sqlite.rebind(tc.in); got != tc.in {
			t.Errorf("sqlite rebind(%q) = %q, want unchanged", tc.in, got)
		}
	}
}
