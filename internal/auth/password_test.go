package auth

import (
	"errors"
	"strings"
	"testing"

	"lvzhi/internal/eval"
)

// cheap keeps the tests fast; the format and checks are the same.
var cheap = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestHashAndCheck(t *testing.T) {
	h, err := HashPassword("正确的密码horse", cheap)
	if err != nil {
		t.Fatalf("HashPassword: %v", err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("HashPassword = %q, want PHC argon2id form", h)
	}
	h2, _ := HashPassword("正确的密码horse", cheap)
	if h == h2 {
		t.Errorf("two hashes of one password are equal; the salt is not random")
	}
	tests := []struct {
		name     string
		password string
		want     error
	}{
		{"right", "正确的密码horse", nil},
		{"wrong", "正确的密码horsE", ErrMismatch},
		{"empty", "", ErrMismatch},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := CheckPassword(h, tc.password); !errors.Is(err, tc.want) || (tc.want == nil && err != nil) {
				t.Errorf("CheckPassword(%q) = %v, want %v", tc.password, err, tc.want)
			}
		})
	}
}

func TestHashRefusesShortPassword(t *testing.T) {
	if _, err := HashPassword("short", cheap); !errors.Is(err, eval.ErrInvalid) {
		t.Errorf("HashPassword(short) = %v, want ErrInvalid", err)
	}
}

func TestCheckMalformed(t *testing.T) {
	good, _ := HashPassword("password123", cheap)
	parts := strings.Split(good, "$")
	tests := []struct{ name, hash string }{
		{"empty", ""},
		{"bcrypt", "$2a$10$abcdefghijklmnopqrstuv"},
		{"version", strings.Replace(good, "v=19", "v=16", 1)},
		{"huge memory", "$argon2id$v=19$m=99999999,t=1,p=1$" + parts[4] + "$" + parts[5]},
		{"zero time", "$argon2id$v=19$m=64,t=0,p=1$" + parts[4] + "$" + parts[5]},
		{"bad salt", "$argon2id$v=19$m=64,t=1,p=1$!!$" + parts[5]},
		{"short key", "$argon2id$v=19$m=64,t=1,p=1$" + parts[4] + "$AAAA"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := CheckPassword(tc.hash, "password123"); !errors.Is(err, eval.ErrInvalid) {
				t.Errorf("CheckPassword(%q) = %v, want ErrInvalid", tc.hash, err)
			}
		})
	}
}
