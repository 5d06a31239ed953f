#!/usr/bin/env bash
# Benchmark: the engine against the native tools on the same OpenMetadata-like data, same run.
#   backup:  engine `backup --compress none --no-sync`  vs  mysqldump --single-transaction / pg_dump
#            (neither native tool syncs its plain output; the engine's default, synced backup is
#            timed too and shown in a column of its own)
#   restore: engine `restore` of its dump     vs  mysql / psql loading the native dump
# Sizes in MB of generated data (default "1024 2048": the issue asks for at least 1 GB); the engine
# runs as its own JVM the way an engine Job runs it, the packaged application
# (java $BENCH_JAVA_OPTS -jar target/quarkus-app/quarkus-run.jar backup ...), built first when the
# sources are newer; peak RSS from /usr/bin/time (max RSS).
# A last dataset per engine holds values over 16 MB (BENCH_BIG_VALUES_MB of them, default 256; 0
# skips it): a table whose rows carry 17-64 MB of text and binary, run with the JVM options and the
# memory limit an engine Job gets by default (EngineJob.ENGINE_JAVA_OPTS and DEFAULT_MEMORY, read
# from the source; -XX:MaxRAM stands in for the container's limit), not with BENCH_JAVA_OPTS.
# Each measurement runs BENCH_RUNS times (default 3), native and engine alternating; a row gives
# the median wall time and the highest peak RSS.
# Each row ends with the 1-minute load average. A second table gives the CPU time of the same runs,
# the tool's own and the database server's (median of each), which says whether a tool left cores
# idle or had more work to do. The engine's progress output of every run is kept
# in $BENCH_DIR/logs. Generated databases and dumps are removed at the end.
# Usage: hack/db/bench-backup.sh   (or: make bench-backup; BENCH_SIZES_MB="100" for a quick run)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SIZES="${BENCH_SIZES_MB:-1024 2048}"
ENGINES="${BENCH_ENGINES:-mariadb postgres}"
RUNS="${BENCH_RUNS:-3}"
WORK="${BENCH_DIR:-/tmp/metadataops-bench}"
JAVA_OPTS="${BENCH_JAVA_OPTS:--Xmx160m -XX:+UseSerialGC -Xss512k -XX:+ExitOnOutOfMemoryError}"
BIG_VALUES_MB="${BENCH_BIG_VALUES_MB:-256}"
export MYSQL_PWD="$DB_TEST_PASSWORD" PGPASSWORD="$DB_TEST_PASSWORD"

mkdir -p "$WORK"
bash "$HACK_DB_DIR/up.sh" >/dev/null
cd "$REPO_ROOT"
ENGINE_JAR="$REPO_ROOT/target/quarkus-app/quarkus-run.jar"
if [[ ! -f $ENGINE_JAR || -n "$(find src pom.xml -newer "$ENGINE_JAR" -print -quit)" ]]; then
  ./mvnw -B -ntp -q package -DskipTests
fi

my() { mariadb -h127.0.0.1 -P"$MARIADB_PORT" -u"$DB_TEST_USER" "$@"; }
pg() { psql -q -v ON_ERROR_STOP=1 -h127.0.0.1 -p"$POSTGRES_PORT" -U"$DB_TEST_USER" "$@"; }

generate_mariadb() { # db sizeMB
  local db=$1 mb=$2 entities series relations
  entities=$((mb * 1024 * 1024 * 6 / 10 / 1500))
  series=$((mb * 1024 * 1024 * 3 / 10 / 350))
  relations=$((mb * 1024 * 1024 / 10 / 110))
  my -e "DROP DATABASE IF EXISTS $db; CREATE DATABASE $db CHARACTER SET utf8mb4"
  my "$db" <<SQL
CREATE TABLE table_entity (id VARCHAR(36) NOT NULL, json JSON NOT NULL,
  name VARCHAR(256) GENERATED ALWAYS AS (json_unquote(json_extract(json, '\$.name'))) VIRTUAL,
  fqnHash VARCHAR(256) CHARACTER SET ascii NOT NULL,
  deleted TINYINT(1) GENERATED ALWAYS AS (json_unquote(json_extract(json, '\$.deleted')) = 'true') VIRTUAL,
  PRIMARY KEY (id), UNIQUE KEY (fqnHash), KEY (name));
CREATE TABLE entity_extension_time_series (entityFQNHash VARCHAR(256) CHARACTER SET ascii NOT NULL,
  extension VARCHAR(256) NOT NULL, json JSON NOT NULL,
  timestamp BIGINT UNSIGNED GENERATED ALWAYS AS (json_unquote(json_extract(json, '\$.timestamp'))) STORED,
  KEY (entityFQNHash, timestamp));
CREATE TABLE entity_relationship (fromId VARCHAR(36) NOT NULL, toId VARCHAR(36) NOT NULL,
  fromEntity VARCHAR(256) NOT NULL, toEntity VARCHAR(256) NOT NULL, relation TINYINT NOT NULL,
  deleted TINYINT(1) NOT NULL DEFAULT 0, PRIMARY KEY (fromId, toId, relation));
CREATE TABLE SERVER_CHANGE_LOG (installed_rank INT AUTO_INCREMENT PRIMARY KEY, version VARCHAR(256));
INSERT INTO SERVER_CHANGE_LOG (version) VALUES ('1.9.9'), ('1.10.2');
INSERT INTO table_entity (id, json, fqnHash)
  SELECT LPAD(seq, 36, '0'), JSON_OBJECT('id', LPAD(seq, 36, '0'), 'name', CONCAT('table_', seq),
    'fullyQualifiedName', CONCAT('svc.db.schema.table_', seq), 'deleted', IF(seq % 7 = 0, 'true', 'false'),
    'description', REPEAT(CONCAT('Description of table ', seq, ': it''s "quoted" and has a \\\\ backslash. '), 18)),
    MD5(seq) FROM seq_1_to_${entities};
INSERT INTO entity_extension_time_series (entityFQNHash, extension, json)
  SELECT MD5(seq % 1000), 'table.tableProfile', JSON_OBJECT('timestamp', 1700000000000 + seq,
    'rowCount', seq, 'columnCount', seq % 50, 'sizeInByte', seq * 1024, 'profile', REPEAT('x', 200))
  FROM seq_1_to_${series};
INSERT INTO entity_relationship (fromId, toId, fromEntity, toEntity, relation)
  SELECT LPAD(seq, 36, '0'), LPAD(seq + 1, 36, '0'), 'table', 'databaseSchema', seq % 20
  FROM seq_1_to_${relations};
SQL
}

generate_postgres() { # db sizeMB
  local db=$1 mb=$2 entities series relations
  entities=$((mb * 1024 * 1024 * 6 / 10 / 1500))
  series=$((mb * 1024 * 1024 * 3 / 10 / 350))
  relations=$((mb * 1024 * 1024 / 10 / 110))
  pg -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
  pg -d "$db" <<SQL
CREATE TABLE table_entity (id VARCHAR(36) PRIMARY KEY, json JSONB NOT NULL,
  name VARCHAR(256) GENERATED ALWAYS AS (json ->> 'name') STORED,
  fqnHash VARCHAR(256) NOT NULL UNIQUE,
  deleted BOOLEAN GENERATED ALWAYS AS ((json ->> 'deleted')::boolean) STORED);
CREATE INDEX ON table_entity (name);
CREATE TABLE entity_extension_time_series (entityFQNHash VARCHAR(256) NOT NULL,
  extension VARCHAR(256) NOT NULL, json JSONB NOT NULL,
  timestamp BIGINT GENERATED ALWAYS AS ((json ->> 'timestamp')::bigint) STORED);
CREATE INDEX ON entity_extension_time_series (entityFQNHash, timestamp);
CREATE TABLE entity_relationship (fromId VARCHAR(36) NOT NULL, toId VARCHAR(36) NOT NULL,
  fromEntity VARCHAR(256) NOT NULL, toEntity VARCHAR(256) NOT NULL, relation SMALLINT NOT NULL,
  deleted BOOLEAN NOT NULL DEFAULT false, PRIMARY KEY (fromId, toId, relation));
CREATE TABLE SERVER_CHANGE_LOG (installed_rank SERIAL PRIMARY KEY, version VARCHAR(256));
INSERT INTO SERVER_CHANGE_LOG (version) VALUES ('1.9.9'), ('1.10.2');
INSERT INTO table_entity (id, json, fqnHash)
  SELECT lpad(g::text, 36, '0'), jsonb_build_object('id', lpad(g::text, 36, '0'), 'name', 'table_' || g,
    'fullyQualifiedName', 'svc.db.schema.table_' || g, 'deleted', g % 7 = 0,
    'description', repeat('Description of table ' || g || ': it''s "quoted" and has a \\ backslash. ', 18)),
    md5(g::text) FROM generate_series(1, ${entities}) g;
INSERT INTO entity_extension_time_series (entityFQNHash, extension, json)
  SELECT md5((g % 1000)::text), 'table.tableProfile', jsonb_build_object('timestamp', 1700000000000 + g,
    'rowCount', g, 'columnCount', g % 50, 'sizeInByte', g * 1024, 'profile', repeat('x', 200))
  FROM generate_series(1, ${series}) g;
INSERT INTO entity_relationship (fromId, toId, fromEntity, toEntity, relation)
  SELECT lpad(g::text, 36, '0'), lpad((g + 1)::text, 36, '0'), 'table', 'databaseSchema', g % 20
  FROM generate_series(1, ${relations}) g;
VACUUM ANALYZE;
SQL
}

# The engine Job's defaults, from the source: its JVM options, and its memory limit as -XX:MaxRAM.
job_java_opts() {
  local engine_job="$REPO_ROOT/src/main/java/io/metadataops/k8s/EngineJob.java" opts limit
  opts=$(grep -A1 'ENGINE_JAVA_OPTS =' "$engine_job" | grep -o '"[^"]*"' | head -1 | tr -d '"')
  limit=$(grep -o 'DEFAULT_MEMORY = "[0-9]*Gi"' "$engine_job" | grep -o '[0-9]*')
  echo "$opts -XX:MaxRAM=$((limit * 1024 * 1024 * 1024))"
}

# generate_big_* DB TOTAL_MB: one table whose rows alternate a 64 MB text value and a 20 MB text
# plus a 17 MB binary value, made of MD5 digits (incompressible, like real documents and files,
# so that PostgreSQL's TOAST cannot shrink them), about TOTAL_MB in all.
big_rows() { echo $(( $1 * 2 / (64 + 37) > 0 ? $1 * 2 / (64 + 37) : 1 )); }

generate_big_mariadb() {
  local db=$1 rows
  rows=$(big_rows "$2")
  my -e "DROP DATABASE IF EXISTS $db; CREATE DATABASE $db CHARACTER SET utf8mb4"
  my "$db" <<SQL
SET SESSION group_concat_max_len = 1073741824;
CREATE TABLE big_values (id INT PRIMARY KEY, doc LONGTEXT, payload LONGBLOB);
CREATE TABLE digits (n INT PRIMARY KEY, d LONGTEXT);
INSERT INTO digits SELECT 64, GROUP_CONCAT(MD5(seq) SEPARATOR '') FROM seq_1_to_2097152;
INSERT INTO digits SELECT 20, LEFT(d, 20 * 1048576) FROM digits WHERE n = 64;
INSERT INTO digits SELECT 17, LEFT(d, 34 * 1048576) FROM digits WHERE n = 64;
INSERT INTO big_values SELECT seq, IF(seq % 2, CONCAT(seq, (SELECT d FROM digits WHERE n = 64)),
    CONCAT(seq, (SELECT d FROM digits WHERE n = 20))),
  IF(seq % 2, NULL, UNHEX((SELECT d FROM digits WHERE n = 17))) FROM seq_1_to_${rows};
DROP TABLE digits;
ANALYZE TABLE big_values;
SQL
}

generate_big_postgres() {
  local db=$1 rows
  rows=$(big_rows "$2")
  pg -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
  pg -d "$db" <<SQL
CREATE TABLE big_values (id INTEGER PRIMARY KEY, doc TEXT, payload BYTEA);
CREATE TEMP TABLE digits AS SELECT string_agg(md5(g::text), '') AS d FROM generate_series(1, 2097152) g;
INSERT INTO big_values SELECT g, CASE WHEN g % 2 = 1 THEN g || d ELSE g || left(d, 20 * 1048576) END,
  CASE WHEN g % 2 = 0 THEN decode(left(d, 34 * 1048576), 'hex') END
  FROM generate_series(1, ${rows}) g, digits;
VACUUM ANALYZE big_values;
SQL
}

# server_cpu KIND: CPU ticks the database server has used so far. PostgreSQL: every process of
# the server user, plus what its exited children (backends, parallel and autovacuum workers) used;
# MariaDB: the one server process (all its threads).
server_cpu() {
  if [[ $1 == mariadb ]]; then
    # The server on our port: another mariadbd (a test's own instance) may run beside it.
    awk '{ print $14 + $15 }' "/proc/$(pgrep -f "mariadbd .*--port=$MARIADB_PORT( |\$)" | head -1)/stat"
  else
    local postmaster total=0 p
    postmaster=$(head -1 "/var/run/postgresql/$POSTGRES_VERSION-main.pid")
    for p in $(pgrep -u postgres); do
      total=$((total + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
    done
    echo $((total + $(awk '{ print $16 + $17 }' "/proc/$postmaster/stat")))
  fi
}

# median VALUES...: the median of the numbers given
median() { tr ' ' '\n' <<<"$*" | grep . | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# measure NAME CMD...: adds the wall seconds to ALL_<NAME>; W_<NAME> is their median so far and
# R_<NAME> the highest peak RSS (MB); C_<NAME> the median CPU seconds of the tool (client) and
# S_<NAME> those of the database server over the same runs ($kind says which server)
measure() {
  local name=$1 all rss_var="R_$1" cpu0 cpu1 var
  shift
  cpu0=$(server_cpu "$kind")
  /usr/bin/time -f '%e %M %U %S' -o "$WORK/time.txt" "$@"
  cpu1=$(server_cpu "$kind")
  read -r wall rss user sys <"$WORK/time.txt"
  all="ALL_$name"
  printf -v "$all" '%s' "${!all:-} $wall"
  printf -v "W_$name" '%s' "$(median "${!all}")"
  var="ALLC_$name"
  printf -v "$var" '%s' "${!var:-} $(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')"
  printf -v "C_$name" '%s' "$(median "${!var}")"
  var="ALLS_$name"
  printf -v "$var" '%s' "${!var:-} $(awk -v t=$((cpu1 - cpu0)) -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t / hz }')"
  printf -v "S_$name" '%s' "$(median "${!var}")"
  (( rss / 1024 > ${!rss_var:-0} )) && printf -v "$rss_var" '%s' "$((rss / 1024))"
  log "$name: ${wall}s, peak RSS $((rss / 1024)) MB, CPU ${user}s user + ${sys}s system, server CPU ${!var##* }s"
}

# The engine as its own JVM; a script so that /usr/bin/time can run (and measure) it.
mkdir -p "$WORK/logs"
cat >"$WORK/engine.sh" <<SCRIPT
#!/usr/bin/env bash
java \$ENGINE_JAVA_OPTS -jar "$ENGINE_JAR" "\$@" >"$WORK/engine.out" 2>"$WORK/engine.err" \\
  || { cat "$WORK/engine.err" >&2; tail -1 "$WORK/engine.out" >&2; exit 1; }
SCRIPT
chmod +x "$WORK/engine.sh"
engine() { "$WORK/engine.sh" "$@"; }

larger() { echo $(( $1 > $2 ? $1 : $2 )); }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

# run_rounds KIND DB LABEL: times the native tools and the engine on database DB (generated
# before, dropped after) and adds a row labelled LABEL to both tables; ENGINE_JAVA_OPTS says how
# the engine's JVM runs.
run_rounds() {
  local kind=$1 db=$2 label=$3 port scheme data_mb run dump_mb native_mb load packet=()
  for name in native_backup engine_backup engine_synced_backup native_restore engine_restore; do
    unset "ALL_$name" "ALLC_$name" "ALLS_$name"
  done
  unset R_native_backup R_engine_backup R_engine_synced_backup R_native_restore R_engine_restore
  if [[ $kind == mariadb ]]; then
    port=$MARIADB_PORT scheme=mysql
    # Both native clients refuse statements over 16 MB by default (values over 16 MB).
    packet=(--max-allowed-packet=1G)
    data_mb=$(my -N -e "SELECT ROUND(SUM(DATA_LENGTH)/1048576) FROM information_schema.TABLES WHERE TABLE_SCHEMA='$db'")
  else
    port=$POSTGRES_PORT scheme=postgresql
    data_mb=$(pg -d "$db" -Atc "SELECT round(sum(pg_table_size(oid))/1048576) FROM pg_class WHERE relkind='r' AND relnamespace='public'::regnamespace")
  fi
  conn=(--db-scheme "$scheme" --db-host 127.0.0.1 --db-port "$port" --db-user "$DB_TEST_USER")
  export DB_USER_PASSWORD="$DB_TEST_PASSWORD"
  for run in $(seq 1 "$RUNS"); do
    log "== $kind $label: run $run of $RUNS"
    rm -f "$WORK"/*.sql "$WORK"/*.manifest.json
    if [[ $kind == mariadb ]]; then
      measure native_backup bash -c "mysqldump -h127.0.0.1 -P$port -u$DB_TEST_USER ${packet[*]} --single-transaction --no-tablespaces --hex-blob $db > $WORK/native.sql"
    else
      measure native_backup pg_dump -h127.0.0.1 -p"$port" -U"$DB_TEST_USER" -f "$WORK/native.sql" "$db"
    fi
    measure engine_backup "$WORK/engine.sh" backup "${conn[@]}" --database "$db" --output "$WORK/engine.sql" --compress none --no-sync
    cp "$WORK/engine.err" "$WORK/logs/$kind-$db-backup-$run.log"
    rm -f "$WORK/engine.sql" "$WORK/engine.sql.manifest.json"
    measure engine_synced_backup "$WORK/engine.sh" backup "${conn[@]}" --database "$db" --output "$WORK/engine.sql" --compress none
    cp "$WORK/engine.err" "$WORK/logs/$kind-$db-backup-synced-$run.log"
    dump_mb=$(( $(stat -c %s "$WORK/engine.sql") / 1048576 ))
    native_mb=$(( $(stat -c %s "$WORK/native.sql") / 1048576 ))

    if [[ $kind == mariadb ]]; then
      my -e "DROP DATABASE IF EXISTS ${db}_n; CREATE DATABASE ${db}_n CHARACTER SET utf8mb4"
      measure native_restore bash -c "mariadb -h127.0.0.1 -P$port -u$DB_TEST_USER ${packet[*]} ${db}_n < $WORK/native.sql"
      my -e "DROP DATABASE IF EXISTS ${db}_n; DROP DATABASE IF EXISTS ${db}_e"
    else
      pg -d postgres -c "DROP DATABASE IF EXISTS ${db}_n WITH (FORCE)" -c "CREATE DATABASE ${db}_n"
      measure native_restore psql -q -o /dev/null -v ON_ERROR_STOP=1 -h127.0.0.1 -p"$port" -U"$DB_TEST_USER" -d "${db}_n" -f "$WORK/native.sql"
      pg -d postgres -c "DROP DATABASE IF EXISTS ${db}_n WITH (FORCE)" -c "DROP DATABASE IF EXISTS ${db}_e WITH (FORCE)" -c "CREATE DATABASE ${db}_e"
    fi
    measure engine_restore "$WORK/engine.sh" restore "${conn[@]}" --database "${db}_e" --input "$WORK/engine.sql"
    cp "$WORK/engine.err" "$WORK/logs/$kind-$db-restore-$run.log"
    if [[ $kind == mariadb ]]; then
      my -e "DROP DATABASE ${db}_e"
    else
      pg -d postgres -c "DROP DATABASE ${db}_e WITH (FORCE)"
    fi
  done
  load=$(cut -d' ' -f1 /proc/loadavg)
  if [[ $kind == mariadb ]]; then
    my -e "DROP DATABASE $db"
  else
    pg -d postgres -c "DROP DATABASE $db WITH (FORCE)"
  fi

  ROWS+=("| $kind | $label ($data_mb MB in tables) | $W_native_backup s ($native_mb MB) | $W_engine_backup s ($dump_mb MB) | $(ratio "$W_engine_backup" "$W_native_backup") | $W_engine_synced_backup s | $(larger "$R_engine_backup" "$R_engine_synced_backup") MB | $W_native_restore s | $W_engine_restore s | $(ratio "$W_engine_restore" "$W_native_restore") | $R_engine_restore MB | $load |")
  CPU_ROWS+=("| $kind | $label | $C_native_backup + $S_native_backup s | $C_engine_backup + $S_engine_backup s | $C_native_restore + $S_native_restore s | $C_engine_restore + $S_engine_restore s | $(nproc) |")
}

ROWS=()
CPU_ROWS=()
for mb in $SIZES; do
  for kind in $ENGINES; do
    log "== $kind ${mb} MB: generating"
    "generate_$kind" "bench_${mb}" "$mb"
    ENGINE_JAVA_OPTS="$JAVA_OPTS" run_rounds "$kind" "bench_${mb}" "$mb"
  done
done
if (( BIG_VALUES_MB > 0 )); then
  for kind in $ENGINES; do
    log "== $kind ${BIG_VALUES_MB} MB of values over 16 MB: generating"
    "generate_big_$kind" bench_big "$BIG_VALUES_MB"
    ENGINE_JAVA_OPTS="$(job_java_opts)" run_rounds "$kind" bench_big "values 17-64 MB, Job defaults"
  done
fi

rm -f "$WORK"/*.sql "$WORK"/*.manifest.json

echo
echo "Median of $RUNS runs each; peak RSS: the highest of the runs. Engine JVM: $JAVA_OPTS;"
echo "values over 16 MB: the engine Job's defaults, $(job_java_opts)."
echo "| engine | generated MB | native dump | engine backup (--no-sync) | backup ratio | engine backup, synced (default) | engine backup peak RSS | native restore | engine restore | restore ratio | engine restore peak RSS | load avg |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
echo
echo "CPU seconds, tool + database server (medians of the same runs; the server's include its"
echo "background processes): what the wall times above spend on a machine with the cores given."
echo "| engine | generated MB | native dump | engine backup (--no-sync) | native restore | engine restore | cores |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${CPU_ROWS[@]}"
