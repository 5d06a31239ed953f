#!/usr/bin/env bash
# make demo / make demo-rollback: an OpenMetadata upgrade with the operator, end to end, with every
# pod real: the local control plane's real node (hack/node) runs the operator (deploy/operator),
# MariaDB, the OpenMetadata server and every Job the operator creates, on containerd and runc,
# from images built here without a container engine (hack/image). The OpenMetadata server is the
# project's stand-in (src/test/docker/openmetadata-standin): the one simulated piece.
#
#   hack/demo/demo-node.sh             upgrade 1.4.8 -> 1.5.2: backup, approval, migration,
#                                      rollout, verification; Succeeded
#   hack/demo/demo-node.sh --rollback  the migration fails halfway; the operator restores the
#                                      backup and the old image; RolledBack, data as before
#
# Needs root (the real node). Settings (environment): METADATAOPS_DEMO_NAMESPACE (default
# metadataops-demo), METADATAOPS_DEMO_TIMEOUT (seconds, default 600).
set -euo pipefail

ROLLBACK=0
for arg in "$@"; do
  case "$arg" in
    --rollback) ROLLBACK=1 ;;
    -h | --help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"
NS="${METADATAOPS_DEMO_NAMESPACE:-metadataops-demo}"
OPNS=metadataops-system
TIMEOUT="${METADATAOPS_DEMO_TIMEOUT:-600}"
# shellcheck source=hack/node/lib.sh
source hack/node/lib.sh
STATE="$(dirname "$CLUSTER_CACHE")/demo-node"
VOLUME="$NODE_VOLUMES/$NS-backups"
JAR="$REPO/target/quarkus-app/quarkus-run.jar"
STANDIN_CLASS="$REPO/target/test-classes/io/metadataops/e2e/standin/StandInOpenMetadata.class"
FROM=1.4.8
TO=1.5.2
# deploy/operator's own image name: the manifests are applied as released.
OPERATOR_IMAGE="$(sed -n 's/^ *image: *//p' deploy/operator/04-deployment.yaml | head -1)"
SERVER_REPO=metadataops.local/openmetadata-server
INGESTION_REPO=metadataops.local/openmetadata-ingestion
DB_ROOT_PASSWORD=demo-root-pw
DB_NAME=openmetadata_demo

# shellcheck source=hack/demo/lib.sh
source hack/demo/lib.sh
[[ $(id -u) == 0 ]] || die "the real node needs root: run as root"
mkdir -p "$STATE"

# ---------------------------------------------------------------------------------------------
bold "1/9 build the operator and the stand-in server's classes (skipped when up to date)"
if [[ ! -f $JAR || ! -f $STANDIN_CLASS || -n "$(find src pom.xml -newer "$JAR" -print -quit)" ]]; then
  ./mvnw -B -ntp -q package -DskipTests
fi
info "operator/engine: $JAR"

bold "2/9 local control plane and its real node (hack/cluster/up.sh, hack/node/up.sh)"
KUBECONFIG="$(hack/cluster/up.sh 2>"$STATE/cluster-up.log")" || { tail -20 "$STATE/cluster-up.log"; die "hack/cluster/up.sh failed"; }
export KUBECONFIG
NODE="$(hack/node/up.sh 2>"$STATE/node-up.log")" || { tail -20 "$STATE/node-up.log"; die "hack/node/up.sh failed"; }
k() { "$KUBECTL_BIN" -n "$NS" "$@"; }
kc() { "$KUBECTL_BIN" "$@"; }
kc get nodes -o custom-columns='NODE:.metadata.name,READY:.status.conditions[?(@.type=="Ready")].status,RUNTIME:.status.nodeInfo.containerRuntimeVersion,KUBELET:.status.nodeInfo.kubeletVersion,SIMULATED-BY:.metadata.annotations.kwok\.x-k8s\.io/node'
info "pods of $OPNS and $NS run on $NODE (namespace annotations; every other pod stays on the KWOK node)"

bold "3/9 images, built without a container engine and loaded into the node's containerd"
OPERATOR_IMAGE="$OPERATOR_IMAGE" STANDIN_VERSIONS="$FROM $TO" hack/image/images.sh operator standin mariadb \
  2>"$STATE/images.log" | sed 's/^/   /' || { tail -20 "$STATE/images.log"; die "hack/image/images.sh failed"; }
# The ingestion Deployment only has to run and follow the server's version: the pause binary,
# tagged as the two ingestion releases (from 1.5 the registry has both x.y.z and x.y.z.0; the
# operator sets the three-part tag, which follows the release's hotfix builds).
python3 hack/image/build.py --dockerfile hack/node/images/pause/Dockerfile --context "pause=$PAUSE_BIN" \
  --tag "$INGESTION_REPO:$FROM" --tag "$INGESTION_REPO:$TO" --tag "$INGESTION_REPO:$TO.0" --import --containerd-address "$CONTAINERD_SOCK" \
  2>>"$STATE/images.log" >/dev/null || { tail -20 "$STATE/images.log"; die "building the ingestion stand-in failed"; }
info "$INGESTION_REPO:$FROM, $INGESTION_REPO:$TO, $INGESTION_REPO:$TO.0 (the ingestion stand-in: it only runs)"

# ---------------------------------------------------------------------------------------------
bold "4/9 the operator: kubectl apply -f deploy/operator/ (2 replicas, leader election), as a pod"
if kc get namespace "$NS" >/dev/null 2>&1; then
  info "deleting the namespace of a previous run"
  # A running operator would put the finalizers back (and cannot run a Job in a terminating
  # namespace to delete a dump): stop it first; it is applied again below.
  kc -n "$OPNS" scale deployment/metadata-operator --replicas=0 >/dev/null 2>&1 || true
  kc -n "$OPNS" wait --for=delete pod -l app.kubernetes.io/name=metadata-operator --timeout=120s >/dev/null 2>&1 || true
  for kind in mdu mdb mdr; do
    for obj in $(k get "$kind" -o name 2>/dev/null); do
      k patch "$obj" --type=merge -p '{"metadata":{"finalizers":null}}' >/dev/null 2>&1 || true
    done
  done
  kc delete namespace "$NS" --wait=true --timeout=180s >/dev/null
fi
kc delete pv "$NS-backups" --ignore-not-found --wait=true >/dev/null
kc apply -f deploy/crds/ >/dev/null 2>>"$STATE/apply.log"
kc wait --for=condition=Established crd --all --timeout=60s >/dev/null
ANNOTATIONS=(
  "scheduler.alpha.kubernetes.io/node-selector=$REAL_NODE_LABEL_KEY=$REAL_NODE_LABEL_VALUE"
  "scheduler.alpha.kubernetes.io/defaultTolerations=[{\"key\":\"$REAL_NODE_TAINT_KEY\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]"
)
kc apply -f deploy/operator/00-namespace.yaml >/dev/null 2>>"$STATE/apply.log"
kc annotate --overwrite namespace "$OPNS" "${ANNOTATIONS[@]}" >/dev/null
# Watching the demo's namespace only: the cluster may be shared with tests running operators of
# their own in theirs. Everything else is deploy/operator as released.
for f in deploy/operator/*.yaml; do
  if [[ $f == */04-deployment.yaml ]]; then
    kc set env --local -o yaml -f "$f" "WATCH_NAMESPACES=$NS"
  else
    cat "$f"
  fi
  echo "---"
done | kc apply -f - >/dev/null 2>>"$STATE/apply.log"
kc -n "$OPNS" rollout restart deployment/metadata-operator >/dev/null
kc -n "$OPNS" rollout status deployment/metadata-operator --timeout=300s >/dev/null ||
  { kc -n "$OPNS" get pods -o wide; die "the operator did not become ready"; }
kc -n "$OPNS" get pods -o wide
LEADER="$(kc -n "$OPNS" get lease -o jsonpath='{.items[0].spec.holderIdentity}' 2>/dev/null || true)"
info "leader: ${LEADER:-<electing>}"

# ---------------------------------------------------------------------------------------------
bold "5/9 namespace $NS: MariaDB and the Helm chart's shapes (Secret, server + ingestion, Service, backup volume)"
kc create namespace "$NS" >/dev/null
kc annotate --overwrite namespace "$NS" "${ANNOTATIONS[@]}" >/dev/null
mkdir -p "$VOLUME"
rm -rf "${VOLUME:?}/"*
chown 185:185 "$VOLUME"
FAIL_ENV=""
((ROLLBACK)) && FAIL_ENV="- {name: OPENMETADATA_STANDIN_FAIL_MIGRATION, value: \"true\"}"
kc create configmap mysql-seed -n "$NS" --from-file=seed.sql=hack/demo/seed-mariadb.sql >/dev/null
kc apply -f - >/dev/null <<EOF
# A local volume on the real node, pre-bound to the example's claim; the engine (uid 185) writes it.
apiVersion: v1
kind: PersistentVolume
metadata:
  name: $NS-backups
spec:
  capacity: {storage: 20Gi}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: ""
  local: {path: $VOLUME}
  nodeAffinity:
    required:
      nodeSelectorTerms:
      - matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [$NODE]}]
  claimRef: {namespace: $NS, name: openmetadata-backups}
EOF
sed 's/^spec:/spec:\n  storageClassName: ""\n  volumeName: '"$NS"'-backups/' examples/backup-volume.yaml | k apply -f - >/dev/null
k apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Secret
metadata:
  name: mysql-secrets
stringData:
  openmetadata-mysql-password: openmetadata-demo-pw
  mysql-root-password: $DB_ROOT_PASSWORD
---
# The chart's database: MariaDB at the Service name "mysql", seeded with an OpenMetadata-like
# database at $FROM (hack/demo/seed-mariadb.sql, run by the image's entry point on first start).
apiVersion: apps/v1
kind: Deployment
metadata:
  name: mysql
spec:
  replicas: 1
  strategy: {type: Recreate}
  selector: {matchLabels: {app: mysql}}
  template:
    metadata:
      labels: {app: mysql}
    spec:
      containers:
        - name: mysql
          image: metadataops.local/mariadb:10.11
          imagePullPolicy: IfNotPresent
          env:
            - name: MARIADB_ROOT_PASSWORD
              valueFrom: {secretKeyRef: {name: mysql-secrets, key: mysql-root-password}}
          ports: [{name: mysql, containerPort: 3306}]
          readinessProbe:
            exec: {command: [sh, -c, 'mariadb-admin ping --silent -h 127.0.0.1 -uroot -p"\$MARIADB_ROOT_PASSWORD"']}
            periodSeconds: 2
          volumeMounts:
            - {name: data, mountPath: /var/lib/mysql}
            - {name: seed, mountPath: /docker-entrypoint-initdb.d}
      volumes:
        - {name: data, emptyDir: {}}
        - {name: seed, configMap: {name: mysql-seed}}
---
apiVersion: v1
kind: Service
metadata:
  name: mysql
spec:
  selector: {app: mysql}
  ports: [{name: mysql, port: 3306}]
---
# Shaped as the official Helm chart installs release "openmetadata": the database settings in
# Secret openmetadata-db-secret (envFrom), only the password a secretKeyRef, and the migration in
# the init container run-db-migrations of every pod (without --force, as the docs advise).
apiVersion: v1
kind: Secret
metadata:
  name: openmetadata-db-secret
stringData:
  DB_SCHEME: mysql
  DB_DRIVER_CLASS: com.mysql.cj.jdbc.Driver
  DB_HOST: mysql
  DB_PORT: "3306"
  DB_USER: openmetadata_user
  OM_DATABASE: $DB_NAME
  DB_PARAMS: "allowPublicKeyRetrieval=true&useSSL=false&serverTimezone=UTC"
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
      securityContext: {runAsNonRoot: true, runAsUser: 185, seccompProfile: {type: RuntimeDefault}}
      initContainers:
        - name: run-db-migrations
          image: $SERVER_REPO:$FROM
          imagePullPolicy: IfNotPresent
          command: [/bin/bash, -c, "/opt/openmetadata/bootstrap/openmetadata-ops.sh migrate"]
          securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
          envFrom: &db-settings [{secretRef: {name: openmetadata-db-secret}}]
          env: &db-env
            - name: DB_USER_PASSWORD
              valueFrom: {secretKeyRef: {name: mysql-secrets, key: openmetadata-mysql-password}}
            $FAIL_ENV
      containers:
        - name: openmetadata
          image: $SERVER_REPO:$FROM
          imagePullPolicy: IfNotPresent
          ports: [{name: http, containerPort: 8585}, {name: http-admin, containerPort: 8586}]
          readinessProbe:
            httpGet: {path: /api/v1/system/version, port: http}
            periodSeconds: 2
          securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
          envFrom: *db-settings
          env: *db-env
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
          image: $INGESTION_REPO:$FROM
          imagePullPolicy: IfNotPresent
EOF
k rollout status deployment/mysql --timeout=180s >/dev/null || { k get pods -o wide; die "MariaDB did not become ready"; }
k rollout status deployment/openmetadata --timeout=180s >/dev/null || { k get pods -o wide; die "the server did not become ready"; }
k rollout status deployment/openmetadata-dependencies-scheduler --timeout=120s >/dev/null
kc wait -n "$NS" pvc/openmetadata-backups --for=jsonpath='{.status.phase}'=Bound --timeout=60s >/dev/null
k get deployments,pvc -o wide

sql() { k exec deploy/mysql -- env MYSQL_PWD="$DB_ROOT_PASSWORD" mariadb -uroot "$DB_NAME" "$@"; }

# write_until_scaled_down URL MDU FILE: creates table entities through the server at URL, with an
# owner as 1.4 clients send it, one after another until the upgrade MDU has scaled the server down
# (or ended); the id of every write the server acknowledged (201, sent after the commit) goes to
# FILE, and the number tried to FILE.tried.
write_until_scaled_down() {
  local url="$1" mdu="$2" file="$3" n=0 answer
  : >"$file"
  while true; do
    if ((n % 10 == 0)) && [[ -n "$(k get mdu "$mdu" -o go-template='{{range .status.steps}}{{if and (eq .name "ScalingDown") .outcome}}down{{end}}{{end}}{{if or (eq .status.phase "Succeeded") (eq .status.phase "RolledBack") (eq .status.phase "Failed") (eq .status.phase "Stalled")}}ended{{end}}' 2>/dev/null)" ]]; then
      break
    fi
    n=$((n + 1))
    echo "$n" >"$file.tried"
    answer="$(curl -s --max-time 5 -w '\n%{http_code}' -H 'Content-Type: application/json' \
      -d "{\"name\":\"written-$n\",\"databaseSchema\":\"mysql_prod.shop.sales\",\"tableType\":\"Regular\",\"owner\":{\"type\":\"user\",\"name\":\"user1\"}}" \
      "$url/api/v1/tables" 2>/dev/null || true)"
    if [[ ${answer##*$'\n'} == 201 ]]; then
      sed -n 's/.*"id":"\([^"]*\)".*/\1/p' <<<"${answer%$'\n'*}" >>"$file"
    fi
    sleep 0.05
  done
}

# check_writes FILE WHEN: every write acknowledged in FILE is in the database.
check_writes() {
  local file="$1" when="$2" acked present
  acked="$(grep -c . "$file" || true)"
  ((acked > 0)) || die "the writer had no write acknowledged (of $(cat "$file.tried" 2>/dev/null || echo 0) tried)"
  present="$(sql -N -e "SELECT COUNT(*) FROM table_entity WHERE id IN ($(sed "s/.*/'&'/" "$file" | paste -sd,))")"
  [[ $present == "$acked" ]] || die "$acked acknowledged writes, only $present present $when"
  info "$acked acknowledged writes, $present present $when (of $(cat "$file.tried") tried until the scale-down)."
}
info "the database, read with kubectl exec in the MariaDB pod:"
show_data | sed 's/^/   /'
read -r ROWS_BEFORE _ _ _ <<<"$(data_facts)"

# ---------------------------------------------------------------------------------------------
bold "6/9 kubectl apply -f examples/upgrade.yaml (to $NS)$( ((ROLLBACK)) && echo '; the stand-in server is told to fail its migration halfway')"
MDU=openmetadata-to-1-5-2
SERVER_IP="$(k get svc openmetadata -o jsonpath='{.spec.clusterIP}')"
ACKED="$STATE/acknowledged-writes"
write_until_scaled_down "http://$SERVER_IP:8585" "$MDU" "$ACKED" &
WRITER=$!
trap 'kill "$WRITER" 2>/dev/null || true' EXIT
info "a writer creates table entities through the server (POST /api/v1/tables, pid $WRITER) until the upgrade scales it down"
k apply -f examples/upgrade.yaml
follow_upgrade "$MDU"
phase="$PHASE"
wait "$WRITER" || true
EXPECTED=Succeeded
((ROLLBACK)) && EXPECTED=RolledBack
if [[ $phase != "$EXPECTED" ]]; then
  k get mdu "$MDU" -o yaml | sed -n '/^status:/,$p'
  kc -n "$OPNS" logs deployment/metadata-operator --tail=30 || true
  die "the upgrade ended in phase '${phase:-<none>}' (expected $EXPECTED)"
fi
echo
info "steps:"
k get mdu "$MDU" -o go-template='{{range .status.steps}}     {{printf "%-28s" .name}} {{printf "%-10s" .outcome}} {{.message}}{{"\n"}}{{end}}'
if ((ROLLBACK)); then
  info "first failure: $(k get mdu "$MDU" -o jsonpath='{.status.firstFailure.reason}: {.status.firstFailure.message}')"
  MIGRATION_JOB="$(k get mdu "$MDU" -o jsonpath='{.status.migrationJobName}')"
  info "\$ kubectl -n $NS logs job/$MIGRATION_JOB    (./bootstrap/openmetadata-ops.sh migrate of the $TO image)"
  k logs "job/$MIGRATION_JOB" | sed 's/^/     /'
  info "exit code: $(k get pods -l job-name="$MIGRATION_JOB" -o jsonpath='{.items[0].status.containerStatuses[0].state.terminated.exitCode}')"
fi
info "Jobs the operator created:"
k get jobs -o custom-columns='JOB:.metadata.name,COMPONENT:.metadata.labels.app\.kubernetes\.io/component,SUCCEEDED:.status.succeeded,FAILED:.status.failed'
info "Deployments now:"
k get deployments -o custom-columns='NAME:.metadata.name,IMAGE:.spec.template.spec.containers[0].image,READY:.status.readyReplicas'
info "version endpoint (Service openmetadata, $SERVER_IP:8585): $(curl -s --max-time 5 "http://$SERVER_IP:8585/api/v1/system/version")"

# ---------------------------------------------------------------------------------------------
bold "7/9 the backup: kubectl logs of its Job's pod, and the dump on the node's volume"
BACKUP="$(k get mdu "$MDU" -o jsonpath='{.status.backupName}')"
k get mdb "$BACKUP" -o go-template='   MetadataBackup {{.metadata.name}}: {{.status.phase}}
{{range $k, $v := .status}}{{if not (or (eq $k "conditions") (eq $k "phase"))}}     {{$k}}: {{$v}}
{{end}}{{end}}'
BACKUP_JOB="$(k get mdb "$BACKUP" -o jsonpath='{.status.jobName}')"
info "\$ kubectl -n $NS logs job/$BACKUP_JOB"
k logs "job/$BACKUP_JOB" | sed 's/^/     /'
LOCATION="$(k get mdb "$BACKUP" -o jsonpath='{.status.location}')"
info "the volume openmetadata-backups is $VOLUME on $NODE:"
find "$VOLUME" -type f -exec ls -l {} + | sed "s|$VOLUME/||; s/^/     /"

bold "8/9 the data after the $( ((ROLLBACK)) && echo rollback || echo upgrade)"
show_data | sed 's/^/   /'
WRITTEN="$(sql -N -e "SELECT COUNT(*) FROM table_entity WHERE name LIKE 'written-%'")"
check_data "$ROLLBACK" "$ROWS_BEFORE" "$FROM" "$TO" "$BACKUP" "$WRITTEN"
check_writes "$ACKED" "$( ((ROLLBACK)) && echo 'after the rollback' || echo 'after the upgrade')"

bold "9/9 every pod of the demo ran on $NODE, in containerd"
PODS="$(kc get pods -n "$NS" -o go-template='{{range .items}}{{.metadata.name}} {{.spec.nodeName}} {{range .status.containerStatuses}}{{.containerID}}{{end}}{{"\n"}}{{end}}'
        kc get pods -n "$OPNS" -o go-template='{{range .items}}{{.metadata.name}} {{.spec.nodeName}} {{range .status.containerStatuses}}{{.containerID}}{{end}}{{"\n"}}{{end}}')"
printf '%s\n' "$PODS" | awk '{printf "     %-52s %-20s %.24s...\n", $1, $2, $3}'
bad="$(printf '%s\n' "$PODS" | awk -v n="$NODE" 'NF && ($2 != n || $3 !~ /^containerd:\/\//)')"
[[ -z $bad ]] || die "pods not run on $NODE: $bad"
info "$(printf '%s\n' "$PODS" | grep -c .) pods, all on $NODE with containerd:// container IDs."
cat <<EOF

   The cluster, the node, the operator and the namespace $NS stay up:
     export KUBECONFIG=$KUBECONFIG PATH=$(dirname "$KUBECTL_BIN"):\$PATH
     kubectl -n $NS get mdu,mdb,mdr,jobs,pods -o wide
     kubectl -n $OPNS logs deployment/metadata-operator
   Take the node down with make node-down (as root).
EOF
