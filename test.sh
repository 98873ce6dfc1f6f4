#!/usr/bin/env bash
# test.sh runs every test lvzhi has, the way CI does, on a fresh Debian
# machine: it installs the Debian packages the tests need, starts PostgreSQL,
# and then runs gofmt, go vet and go test against SQLite and PostgreSQL.
# A test that needs a tool this script could not provide fails; none skips.
set -euo pipefail
cd "$(dirname "$0")"

log() { printf '== %s\n' "$*" >&2; }

# ---- Debian packages -------------------------------------------------------
need=()
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
if ((${#need[@]})); then
  log "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi

# ---- PostgreSQL ------------------------------------------------------------
pgver=$(ls /etc/postgresql | sort -V | tail -n 1)
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  log "starting PostgreSQL $pgver"
  pg_ctlcluster --skip-systemctl-redirect "$pgver" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
export LVZHI_TEST_POSTGRES=${LVZHI_TEST_POSTGRES:-"postgres://postgres@127.0.0.1:5432/test?sslmode=disable"}
export LVZHI_TEST_POSTGRES_REQUIRED=1

# ---- Go --------------------------------------------------------------------
log "gofmt"
unformatted=$(gofmt -l cmd internal bench 2>/dev/null || true)
if [ -n "$unformatted" ]; then echo "gofmt would change:"; echo "$unformatted"; exit 1; fi
log "go vet"
go vet ./...
log "go test"
go test -count=1 ./...
