// Package auth hashes and checks passwords with argon2id
// (golang.org/x/crypto/argon2), in the common PHC text form
// $argon2id$v=19$m=…,t=…,p=…$salt$hash, so that the parameters travel with
// each hash and can be raised later without breaking old ones.
//
// It must not store anything, know about users or roles, or log a password.
package auth
