#!/usr/bin/env bash
# make demo / make demo-rollback: an OpenMetadata upgrade with the operator, end to end, on this
# machine. See docs/demo.md for what is real and what is simulated.
#
#   hack/demo/demo.sh             upgrade 1.4.8 -> 1.5.2: backup, approval, migration, rollout,
#                                 verification; Succeeded
#   hack/demo/demo.sh --rollback  the migration fails halfway; the operator restores the backup
#                                 and the old image; RolledBack, data as before
#
# Settings (environment): METADATAOPS_DEMO_NAMESPACE (default metadataops-demo),
# METADATAOPS_DEMO_TIMEOUT (seconds, default 600), METADATAOPS_DEMO_PORT (the stand-in server's
# version endpoint, default 8585; the operator's default verification URL uses 8585).
set -euo pipefail

ROLLBACK=0
for arg in "$@"; do
  case "$arg" in
    --rollback) ROLLBACK=1 ;;
    -h | --help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"
NS="${METADATAOPS_DEMO_NAMESPACE:-metadataops-demo}"
TIMEOUT="${METADATAOPS_DEMO_TIMEOUT:-600}"
PORT="${METADATAOPS_DEMO_PORT:-8585}"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/metadataops"
STATE="$CACHE/demo"
LOGS="$STATE/logs"
JAR="$REPO/target/quarkus-app/quarkus-run.jar"
RUNNER_CLASS="$REPO/target/test-classes/io/metadataops/demo/LocalJobRunner.class"
CLASSPATH_FILE="$REPO/target/demo-classpath.txt"
DB_NAME=openmetadata_demo
FROM=1.4.8
TO=1.5.2

sql() { mariadb --protocol=socket -uroot "$DB_NAME" "$@"; }
# shellcheck source=hack/demo/lib.sh
source hack/demo/lib.sh

PIDS=()
cleanup() {
  local rc=$?
  trap - INT TERM
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  # A graceful Quarkus shutdown can take a while: 10 s, then SIGKILL.
  for _ in $(seq 1 20); do
    local alive=0
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.5
  done
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  ((${#PIDS[@]})) && echo "demo: stopped the operator and the runner (logs in $LOGS)" >&2
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------
bold "1/8 build the operator and the demo's local Job runner (skipped when up to date)"
if [[ ! -f $JAR || ! -f $RUNNER_CLASS || -n "$(find src pom.xml -newer "$JAR" -print -quit)" ]]; then
  ./mvnw -B -ntp -q package -DskipTests
fi
if [[ ! -s $CLASSPATH_FILE || $CLASSPATH_FILE -ot pom.xml ]]; then
  ./mvnw -B -ntp -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CLASSPATH_FILE"
fi
info "operator/engine: $JAR"

bold "2/8 local control plane (hack/cluster/up.sh: kube-apiserver & co, one KWOK-simulated node)"
KUBECONFIG="$(hack/cluster/up.sh)"
export KUBECONFIG
KUBECTL="$CACHE/cluster/kubectl-v1.34.4/kubectl"
[[ -x $KUBECTL ]] || KUBECTL="$(ls -d "$CACHE"/cluster/kubectl-*/kubectl | head -1)"
k() { "$KUBECTL" -n "$NS" "$@"; }
info "KUBECONFIG=$KUBECONFIG"

bold "3/8 local MariaDB (hack/db/up.sh) with an OpenMetadata-like database at $FROM"
METADATAOPS_SKIP_MYSQL8=1 hack/db/up.sh >"$STATE.db-up.log" 2>&1 || { cat "$STATE.db-up.log"; die "hack/db/up.sh failed"; }
mariadb --protocol=socket -uroot <hack/demo/seed-mariadb.sql
info "database $DB_NAME on 127.0.0.1:3306, user openmetadata_user (hack/demo/seed-mariadb.sql)"

show_data
read -r ROWS_BEFORE _ _ _ <<<"$(data_facts)"

# ---------------------------------------------------------------------------------------------
bold "4/8 namespace $NS: the Helm chart's shapes (Secret, server + ingestion Deployments, Service, backup volume)"
if "$KUBECTL" get namespace "$NS" >/dev/null 2>&1; then
  info "deleting the namespace of a previous run"
  for kind in mdu mdb mdr; do
    for obj in $(k get "$kind" -o name 2>/dev/null); do
      k patch "$obj" --type=merge -p '{"metadata":{"finalizers":null}}' >/dev/null 2>&1 || true
    done
  done
  "$KUBECTL" delete namespace "$NS" --wait=true --timeout=120s >/dev/null
fi
"$KUBECTL" delete pv "$NS-backups" --ignore-not-found --wait=true >/dev/null
"$KUBECTL" apply -f deploy/crds/ >/dev/null
"$KUBECTL" wait --for=condition=Established crd --all --timeout=60s >/dev/null
"$KUBECTL" create namespace "$NS" >/dev/null
mkdir -p "$STATE/volumes/$NS/openmetadata-backups" "$LOGS"
rm -rf "${STATE:?}/volumes/$NS/openmetadata-backups/"* "${STATE:?}/tmp"
"$KUBECTL" apply -f - >/dev/null <<EOF
# No provisioner in the local control plane: a PersistentVolume pre-bound to the example's claim.
# Nothing is mounted; the runner maps the claim to $STATE/volumes/$NS/openmetadata-backups.
apiVersion: v1
kind: PersistentVolume
metadata:
  name: $NS-backups
spec:
  capacity: {storage: 20Gi}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  hostPath: {path: $STATE/volumes/$NS/openmetadata-backups}
  claimRef: {namespace: $NS, name: openmetadata-backups}
EOF
k apply -f examples/backup-volume.yaml >/dev/null
k apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Secret
metadata:
  name: mysql-secrets
stringData:
  openmetadata-mysql-password: openmetadata-demo-pw
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: openmetadata
  labels: {app.kubernetes.io/name: openmetadata}
spec:
  replicas: 1
  selector: {matchLabels: {app.kubernetes.io/name: openmetadata}}
  template:
    metadata:
      labels: {app.kubernetes.io/name: openmetadata}
    spec:
      containers:
        - name: openmetadata
          image: docker.getcollate.io/openmetadata/server:$FROM
          ports: [{name: http, containerPort: 8585}, {name: http-admin, containerPort: 8586}]
          env:
            - {name: DB_SCHEME, value: mysql}
            - {name: DB_DRIVER_CLASS, value: com.mysql.cj.jdbc.Driver}
            - {name: DB_HOST, value: 127.0.0.1}
            - {name: DB_PORT, value: "3306"}
            - {name: DB_USER, value: openmetadata_user}
            - name: DB_USER_PASSWORD
              valueFrom: {secretKeyRef: {name: mysql-secrets, key: openmetadata-mysql-password}}
            - {name: OM_DATABASE, value: $DB_NAME}
            - {name: DB_PARAMS, value: "allowPublicKeyRetrieval=true&useSSL=false&serverTimezone=UTC"}
---
apiVersion: v1
kind: Service
metadata:
  name: openmetadata
spec:
  selector: {app.kubernetes.io/name: openmetadata}
  ports: [{name: http, port: 8585}, {name: http-admin, port: 8586}]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: openmetadata-dependencies-scheduler
spec:
  replicas: 1
  selector: {matchLabels: {app: airflow-scheduler}}
  template:
    metadata:
      labels: {app: airflow-scheduler}
    spec:
      containers:
        - name: airflow-scheduler
          image: docker.getcollate.io/openmetadata/ingestion:$FROM
EOF
k rollout status deployment/openmetadata --timeout=120s >/dev/null
k rollout status deployment/openmetadata-dependencies-scheduler --timeout=120s >/dev/null
"$KUBECTL" wait -n "$NS" pvc/openmetadata-backups --for=jsonpath='{.status.phase}'=Bound --timeout=60s >/dev/null
k get deployments,pvc
# ---------------------------------------------------------------------------------------------
bold "5/8 the local Job runner and the operator (background; logs in $LOGS)"
RUNNER_ARGS=(--jar "$JAR" --state "$STATE" --port "$PORT")
((ROLLBACK)) && RUNNER_ARGS+=(--fail-migrations)
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  die "port $PORT is in use (a previous demo still running?); the stand-in version endpoint needs it"
fi
java -cp "$REPO/target/test-classes:$(cat "$CLASSPATH_FILE")" io.metadataops.demo.LocalJobRunner \
  "${RUNNER_ARGS[@]}" >"$LOGS/runner.log" 2>&1 &
PIDS+=($!)
info "runner (pid $!): runs Job pods labelled sim.metadataops.io/runner=local on this machine$( ((ROLLBACK)) && echo ', migrations FAIL')"
# The operator probes http://openmetadata.$NS.svc:8585/api/v1/system/version (the default URL of
# examples/upgrade.yaml). Nothing resolves *.svc outside a cluster: a hosts file for the
# operator's JVM only (jdk.net.hosts.file) points that name at the runner's stand-in endpoint.
echo "127.0.0.1 openmetadata.$NS.svc openmetadata-dependencies-scheduler.$NS.svc" >"$STATE/hosts"
WATCH_NAMESPACES="$NS" OPERATOR_NAMESPACE="$NS" \
  METADATAOPS_JOB_POD_LABELS="sim.metadataops.io/outcome=hang,sim.metadataops.io/runner=local" \
  java -Djdk.net.hosts.file="$STATE/hosts" -Dquarkus.http.port=0 -jar "$JAR" >"$LOGS/operator.log" 2>&1 &
PIDS+=($!)
info "operator (pid $!): watches $NS; Job pods get sim.metadataops.io/outcome=hang (kwok never completes them) + sim.metadataops.io/runner=local"
for _ in $(seq 1 60); do
  grep -q "Installed features\|started in" "$LOGS/operator.log" 2>/dev/null && break
  sleep 1
done
grep -q "Installed features\|started in" "$LOGS/operator.log" || { tail -30 "$LOGS/operator.log"; die "the operator did not start"; }

# ---------------------------------------------------------------------------------------------
bold "6/8 kubectl apply -f examples/upgrade.yaml (to $NS)"
k apply -f examples/upgrade.yaml
MDU=openmetadata-to-1-5-2
follow_upgrade "$MDU"
phase="$PHASE"
EXPECTED=Succeeded
((ROLLBACK)) && EXPECTED=RolledBack
case "$phase" in
  "$EXPECTED") ;;
  *)
    k get mdu "$MDU" -o yaml | sed -n '/^status:/,$p'
    tail -20 "$LOGS/operator.log"
    tail -20 "$LOGS/runner.log"
    die "the upgrade ended in phase '${phase:-<none>}' (expected $EXPECTED)"
    ;;
esac
echo
info "steps:"
k get mdu "$MDU" -o go-template='{{range .status.steps}}     {{printf "%-24s" .name}} {{printf "%-10s" .outcome}} {{.message}}{{"\n"}}{{end}}'
if ((ROLLBACK)); then
  info "first failure: $(k get mdu "$MDU" -o jsonpath='{.status.firstFailure.reason}: {.status.firstFailure.message}')"
  info "termination message of the migration pod (written by the runner from the real run):"
  info "  $(k get pods -l app.kubernetes.io/component=migration -o jsonpath='{.items[0].status.containerStatuses[0].state.terminated.message}')"
fi
info "Jobs the operator created (each pod really run by the runner; its log is in $LOGS):"
k get jobs -o custom-columns='JOB:.metadata.name,COMPONENT:.metadata.labels.app\.kubernetes\.io/component,SUCCEEDED:.status.succeeded,FAILED:.status.failed'
info "Deployments now:"
k get deployments -o custom-columns='NAME:.metadata.name,IMAGE:.spec.template.spec.containers[0].image,READY:.status.readyReplicas'
info "version endpoint: $(curl -s -H "Host: openmetadata.$NS.svc:8585" "http://127.0.0.1:$PORT/api/v1/system/version")"

# ---------------------------------------------------------------------------------------------
bold "7/8 the backup"
BACKUP="$(k get mdu "$MDU" -o jsonpath='{.status.backupName}')"
k get mdb "$BACKUP" -o go-template='   MetadataBackup {{.metadata.name}}: {{.status.phase}}
{{range $k, $v := .status}}{{if not (or (eq $k "conditions") (eq $k "phase"))}}     {{$k}}: {{$v}}
{{end}}{{end}}'
LOCATION="$(k get mdb "$BACKUP" -o jsonpath='{.status.location}')"
info "on this machine the volume openmetadata-backups is $STATE/volumes/$NS/openmetadata-backups:"
ls -l "$STATE/volumes/$NS/openmetadata-backups/${LOCATION#/backups/}"* 2>/dev/null | sed 's/^/     /' ||
  find "$STATE/volumes/$NS/openmetadata-backups" -type f | sed 's/^/     /'

bold "8/8 the data after the $( ((ROLLBACK)) && echo rollback || echo upgrade)"
show_data
check_data "$ROLLBACK" "$ROWS_BEFORE" "$FROM" "$TO" "$BACKUP"
cat <<EOF

   To restore this backup yourself (the server is scaled to zero meanwhile, tables dropped first):

     cat <<YAML | kubectl -n $NS apply -f -
     apiVersion: metadataops.io/v1alpha1
     kind: MetadataRestore
     metadata:
       name: restore-$BACKUP
     spec:
       backupName: $BACKUP
       target:
         server:
           deploymentName: openmetadata
       dropExistingTables: true
       scaleDownServer: true
     YAML
     kubectl -n $NS wait mdr/restore-$BACKUP --for=condition=Succeeded --timeout=30m

   A backup restores only into the same schema version ($FROM here): after a successful upgrade,
   put the $FROM image back first or add spec.allowSchemaVersionMismatch (see docs/api.md).
   Or, without Kubernetes, the same engine on the dump file:
     DB_SCHEME=mysql DB_HOST=127.0.0.1 DB_PORT=3306 DB_USER=openmetadata_user OM_DATABASE=$DB_NAME \\
     DB_USER_PASSWORD=openmetadata-demo-pw java -jar target/quarkus-app/quarkus-run.jar \\
       restore --input $STATE/volumes/$NS/openmetadata-backups/${LOCATION#/backups/} --drop-existing \\
       --expect-schema-version $FROM

   Logs: $LOGS/operator.log, $LOGS/runner.log, one per Job pod. The cluster, the database and the
   namespace $NS stay up: KUBECONFIG=$KUBECONFIG $KUBECTL -n $NS get mdu,mdb,mdr,jobs,pods
EOF
