#!/usr/bin/env bash
# Shared settings for hack/db/*.sh. Sourced, never executed. Every value can be overridden.

DB_TEST_USER="${METADATAOPS_DB_TEST_USER:-metadataops}"
DB_TEST_PASSWORD="${METADATAOPS_DB_TEST_PASSWORD:-metadataops-test-pw}"

MARIADB_PORT="${METADATAOPS_MARIADB_PORT:-3306}"
MARIADB_SOCKET=/run/mysqld/mysqld.sock
POSTGRES_PORT="${METADATAOPS_POSTGRES_PORT:-5432}"
POSTGRES_VERSION=15
MYSQL8_PORT="${METADATAOPS_MYSQL8_PORT:-3307}"
MYSQL8_VERSION=8.0.31
MYSQL8_HOME="${METADATAOPS_MYSQL8_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/metadataops/mysql-${MYSQL8_VERSION}}"
MYSQL8_SOCKET="${MYSQL8_HOME}/mysqld.sock"

# Big enough for the > 16 MB values the fidelity tests write.
MAX_ALLOWED_PACKET=1G

HACK_DB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "${HACK_DB_DIR}/../.." && pwd)"

log() { printf '[db] %s\n' "$*" >&2; }

# port_open PORT: true when something accepts TCP connections on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_for PORT NAME SECONDS
wait_for() {
  local i
  for ((i = 0; i < $3 * 2; i++)); do
    port_open "$1" && return 0
    sleep 0.5
  done
  log "$2 did not open 127.0.0.1:$1 within $3 s"
  return 1
}
