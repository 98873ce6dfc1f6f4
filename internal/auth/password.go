package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"

	"lvzhi/internal/eval"
)

// Params are the argon2id cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultParams: 64 MiB, one pass, two lanes — about 0.23 s per hash on the
// project's 2-core machines (../shared/docs/stack.md). Each hash holds 64 MiB
// while it runs, so a server must cap concurrent sign-ins.
var DefaultParams = Params{Memory: 64 * 1024, Time: 1, Threads: 2, SaltLen: 16, KeyLen: 32}

// MinPasswordLength is the shortest password HashPassword accepts.
const MinPasswordLength = 8

// ErrMismatch is returned by CheckPassword when the password is wrong.
var ErrMismatch = errors.New("用户名或密码错误")

var b64 = base64.RawStdEncoding

// HashPassword returns the encoded argon2id hash of password with a fresh
// random salt. A password shorter than MinPasswordLength matches
// eval.ErrInvalid.
func HashPassword(password string, p Params) (string, error) {
	if len([]rune(password)) < MinPasswordLength {
		return "", fmt.Errorf("auth: 密码至少需要 %d 个字符: %w", MinPasswordLength, eval.ErrInvalid)
	}
	if p.Memory == 0 || p.Time == 0 || p.Threads == 0 || p.SaltLen == 0 || p.KeyLen == 0 {
		return "", fmt.Errorf("auth: argon2id parameters must be positive: %w", eval.ErrInvalid)
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: read random salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports nil when password matches the encoded hash,
// ErrMismatch when it does not, and an error matching eval.ErrInvalid when
// the hash is not a well-formed argon2id hash. The comparison takes
// constant time.
func CheckPassword(encoded, password string) error {
	p, salt, key, err := decode(encoded)
	if err != nil {
		return err
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	if subtle.ConstantTimeCompare(got, key) != 1 {
		return ErrMismatch
	}
	return nil
}

// maxMemory bounds the memory a stored hash may ask for (1 GiB), so that a
// corrupt or hostile hash cannot exhaust the machine.
const maxMemory = 1 << 20

func decode(encoded string) (Params, []byte, []byte, error) {
	bad := func(why string) (Params, []byte, []byte, error) {
		return Params{}, nil, nil, fmt.Errorf("auth: malformed password hash (%s): %w", why, eval.ErrInvalid)
	}
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return bad("not $argon2id$…")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return bad("version")
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return bad("parameters")
	}
	if p.Memory == 0 || p.Memory > maxMemory || p.Time == 0 || p.Time > 100 || p.Threads == 0 {
		return bad("parameters out of range")
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) == 0 {
		return bad("salt")
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) < 16 || len(key) > 128 {
		return bad("key")
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	return p, salt, key, nil
}
