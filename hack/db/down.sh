#!/usr/bin/env bash
# Stops the database servers started by hack/db/up.sh (data directories are kept).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [[ -f $MYSQL8_HOME/mysqld.pid ]]; then
  log "stopping MySQL $MYSQL8_VERSION"
  start-stop-daemon --stop --oknodo --retry 30 --pidfile "$MYSQL8_HOME/mysqld.pid" || true
fi
if command -v mariadb-admin >/dev/null && [[ -S $MARIADB_SOCKET ]]; then
  log "stopping MariaDB"
  mariadb-admin --protocol=socket -S "$MARIADB_SOCKET" -uroot shutdown || true
fi
if command -v pg_ctlcluster >/dev/null; then
  log "stopping PostgreSQL $POSTGRES_VERSION"
  pg_ctlcluster --skip-systemctl-redirect "$POSTGRES_VERSION" main stop 2>/dev/null || true
fi
