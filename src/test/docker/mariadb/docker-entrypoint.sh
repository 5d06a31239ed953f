#!/bin/sh
# Entry point of the MariaDB image of the real node, with the parts of the official image's
# contract the demo uses: on an empty data directory (/var/lib/mysql), install the system tables,
# set MARIADB_ROOT_PASSWORD (or MYSQL_ROOT_PASSWORD) for root, create MARIADB_DATABASE and
# MARIADB_USER / MARIADB_PASSWORD (or the MYSQL_ names) with all rights on it, run
# /docker-entrypoint-initdb.d/*.sql, on a server without network; then start it for real.
set -eu
DATADIR=/var/lib/mysql
ROOT_PASSWORD=${MARIADB_ROOT_PASSWORD:-${MYSQL_ROOT_PASSWORD:-}}
DATABASE=${MARIADB_DATABASE:-${MYSQL_DATABASE:-}}
USER_NAME=${MARIADB_USER:-${MYSQL_USER:-}}
USER_PASSWORD=${MARIADB_PASSWORD:-${MYSQL_PASSWORD:-}}
if [ "${1:-}" = mariadbd ] || [ "${1:-}" = mysqld ]; then
  shift
  set -- mariadbd --datadir="$DATADIR" --port=3306 --bind-address=0.0.0.0 \
    --socket=/run/mysqld/mysqld.sock --skip-name-resolve --max-allowed-packet=256M "$@"
fi

sql_string() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/''/g")"; }

if [ "${1:-}" = mariadbd ] && [ ! -d "$DATADIR/mysql" ]; then
  [ -n "$ROOT_PASSWORD" ] || { echo "docker-entrypoint.sh: MARIADB_ROOT_PASSWORD must be set" >&2; exit 1; }
  root_password=$ROOT_PASSWORD
  echo "docker-entrypoint.sh: initialising $DATADIR"
  mariadb-install-db --datadir="$DATADIR" --auth-root-authentication-method=normal \
    --skip-test-db >/dev/null
  init=/tmp/init.sql
  umask 077
  {
    root=$(sql_string "$ROOT_PASSWORD")
    echo "ALTER USER 'root'@'localhost' IDENTIFIED BY $root;"
    echo "CREATE USER IF NOT EXISTS 'root'@'%' IDENTIFIED BY $root;"
    echo "GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
    [ -n "$DATABASE" ] && echo "CREATE DATABASE IF NOT EXISTS \`$DATABASE\`;"
    if [ -n "$USER_NAME" ]; then
      echo "CREATE USER '$USER_NAME'@'%' IDENTIFIED BY $(sql_string "$USER_PASSWORD");"
      [ -n "$DATABASE" ] && echo "GRANT ALL ON \`$DATABASE\`.* TO '$USER_NAME'@'%';"
    fi
    for f in /docker-entrypoint-initdb.d/*.sql; do
      [ -f "$f" ] && { echo "-- $f"; cat "$f"; echo; }
    done
    echo "FLUSH PRIVILEGES;"
  } >"$init"
  "$@" --init-file="$init" --skip-networking &
  pid=$!
  # Connections are accepted once the init file has run: wait for root's new password to work.
  i=0
  until MYSQL_PWD="$root_password" mariadb-admin --socket=/run/mysqld/mysqld.sock -uroot ping >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { echo "docker-entrypoint.sh: the server stopped while initialising" >&2; exit 1; }
    i=$((i + 1))
    [ "$i" -lt 1200 ] || { echo "docker-entrypoint.sh: initialisation timed out" >&2; exit 1; }
    sleep 0.2
  done
  rm -f "$init"
  kill "$pid"
  wait "$pid" || true
  echo "docker-entrypoint.sh: initialised; starting the server"
fi
exec "$@"
