#!/bin/sh
# Entry point of the MySQL 8 image of the end-to-end tier, with the parts of the official image's
# contract the tests use: on an empty data directory (/var/lib/mysql), initialise it, set
# MYSQL_ROOT_PASSWORD for root (local and remote), create MYSQL_DATABASE and MYSQL_USER /
# MYSQL_PASSWORD with all rights on it, run /docker-entrypoint-initdb.d/*.sql, on a server that
# accepts no network connection; then start the server for real. So port 3306 answers only once
# everything is in place, as with the official image.
set -eu
DATADIR=/var/lib/mysql
if [ "${1:-}" = mysqld ]; then
  shift
  # No option files: Debian's /etc/mysql/my.cnf (from the MariaDB client) is MariaDB's.
  set -- mysqld --no-defaults --basedir=/opt/mysql --datadir="$DATADIR" --port=3306 \
    --bind-address=0.0.0.0 --socket=/tmp/mysqld.sock --pid-file=/tmp/mysqld.pid --mysqlx=OFF \
    --skip-name-resolve --performance-schema=OFF --innodb-buffer-pool-size=64M \
    --max-allowed-packet=256M "$@"
fi

sql_string() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/''/g")"; }

if [ "$1" = mysqld ] && [ ! -d "$DATADIR/mysql" ]; then
  : "${MYSQL_ROOT_PASSWORD:?MYSQL_ROOT_PASSWORD must be set}"
  root_password=$MYSQL_ROOT_PASSWORD
  echo "docker-entrypoint.sh: initialising $DATADIR"
  mysqld --no-defaults --initialize-insecure --basedir=/opt/mysql --datadir="$DATADIR"
  init=/tmp/init.sql
  umask 077
  {
    root=$(sql_string "$MYSQL_ROOT_PASSWORD")
    echo "ALTER USER 'root'@'localhost' IDENTIFIED BY $root;"
    echo "CREATE USER 'root'@'%' IDENTIFIED BY $root;"
    echo "GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
    if [ -n "${MYSQL_DATABASE:-}" ]; then
      echo "CREATE DATABASE IF NOT EXISTS \`$MYSQL_DATABASE\`;"
    fi
    if [ -n "${MYSQL_USER:-}" ]; then
      echo "CREATE USER '$MYSQL_USER'@'%' IDENTIFIED BY $(sql_string "${MYSQL_PASSWORD:?MYSQL_PASSWORD must be set with MYSQL_USER}");"
      [ -n "${MYSQL_DATABASE:-}" ] && echo "GRANT ALL ON \`$MYSQL_DATABASE\`.* TO '$MYSQL_USER'@'%';"
    fi
    for f in /docker-entrypoint-initdb.d/*.sql; do
      [ -f "$f" ] && { echo "-- $f"; cat "$f"; echo; }
    done
    echo "FLUSH PRIVILEGES;"
  } >"$init"
  # The init file runs before the server accepts connections; --skip-networking keeps it local.
  "$@" --init-file="$init" --skip-networking &
  pid=$!
  # Connections are accepted once the init file has run: wait for root's new password to work.
  i=0
  until MYSQL_PWD="$root_password" mysqladmin --socket=/tmp/mysqld.sock -uroot ping >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { echo "docker-entrypoint.sh: the server stopped while initialising" >&2; exit 1; }
    i=$((i + 1))
    [ "$i" -lt 1200 ] || { echo "docker-entrypoint.sh: initialisation timed out" >&2; exit 1; }
    sleep 0.2
  done
  rm -f "$init"
  kill "$pid"
  wait "$pid" || true
  rm -f /tmp/mysqld.sock /tmp/mysqld.sock.lock
  echo "docker-entrypoint.sh: initialised; starting the server"
fi
exec "$@"
