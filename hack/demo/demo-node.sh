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

bold() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
info() { printf '   %s\n' "$*"; }
die() { printf '\033[31mdemo: %s\033[0m\n' "$*" >&2; exit 1; }
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
      containers:
        - name: openmetadata
          image: $SERVER_REPO:$FROM
          imagePullPolicy: IfNotPresent
          ports: [{name: http, containerPort: 8585}, {name: http-admin, containerPort: 8586}]
          readinessProbe:
            httpGet: {path: /api/v1/system/version, port: http}
            periodSeconds: 2
          securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
          env:
            - {name: DB_SCHEME, value: mysql}
            - {name: DB_DRIVER_CLASS, value: com.mysql.cj.jdbc.Driver}
            - {name: DB_HOST, value: mysql}
            - {name: DB_PORT, value: "3306"}
            - {name: DB_USER, value: openmetadata_user}
            - name: DB_USER_PASSWORD
              valueFrom: {secretKeyRef: {name: mysql-secrets, key: openmetadata-mysql-password}}
            - {name: OM_DATABASE, value: $DB_NAME}
            - {name: DB_PARAMS, value: "allowPublicKeyRetrieval=true&useSSL=false&serverTimezone=UTC"}
            $FAIL_ENV
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
show_data() {
  sql -t -e "SELECT 'table_entity' AS \`table\`, COUNT(*) AS \`rows\`,
                    SUM(JSON_EXISTS(json, '\$.owner')) AS with_owner,
                    SUM(JSON_EXISTS(json, '\$.owners')) AS with_owners FROM table_entity
             UNION ALL SELECT 'user_entity', COUNT(*), NULL, NULL FROM user_entity
             UNION ALL SELECT 'entity_relationship', COUNT(*), NULL, NULL FROM entity_relationship
             UNION ALL SELECT 'tag_usage', COUNT(*), NULL, NULL FROM tag_usage
             UNION ALL SELECT 'change_event', COUNT(*), NULL, NULL FROM change_event;
             SELECT installed_rank, version, installed_on FROM SERVER_CHANGE_LOG ORDER BY installed_rank;"
}
data_facts() {
  sql -N -e "SELECT CONCAT_WS(' ', COUNT(*), SUM(JSON_EXISTS(json, '\$.owner')),
                    SUM(JSON_EXISTS(json, '\$.owners')),
                    (SELECT version FROM SERVER_CHANGE_LOG ORDER BY installed_rank DESC LIMIT 1))
             FROM table_entity"
}
info "the database, read with kubectl exec in the MariaDB pod:"
show_data | sed 's/^/   /'
read -r ROWS_BEFORE _ _ _ <<<"$(data_facts)"

# ---------------------------------------------------------------------------------------------
bold "6/9 kubectl apply -f examples/upgrade.yaml (to $NS)$( ((ROLLBACK)) && echo '; the stand-in server is told to fail its migration halfway')"
k apply -f examples/upgrade.yaml
MDU=openmetadata-to-1-5-2
info "following the upgrade: phase, then each condition as it changes"
last=""
approved=0
deadline=$((SECONDS + TIMEOUT))
phase=""
while ((SECONDS < deadline)); do
  phase="$(k get mdu "$MDU" -o jsonpath='{.status.phase}' 2>/dev/null || true)"
  now="$(k get mdu "$MDU" -o go-template='{{.status.phase}}{{range .status.conditions}} | {{.type}}={{.status}} {{.reason}}{{end}}{{"\n"}}{{.status.message}}' 2>/dev/null || true)"
  if [[ -n $phase && $now != "$last" ]]; then
    printf '   %s  %s\n' "$(date +%T)" "$(head -1 <<<"$now")"
    printf '             %s\n' "$(tail -n +2 <<<"$now")"
    last="$now"
  fi
  case "$phase" in
    Succeeded | RolledBack | Failed | Stalled) break ;;
    AwaitingApproval)
      if ((!approved)); then
        pending="$(k get mdu "$MDU" -o jsonpath='{.status.pendingApprovals[*]}')"
        echo
        info "The upgrade waits for a person to review breaking changes examples/upgrade.yaml did not approve:"
        for id in $pending; do
          info "  $id: $(k get mdu "$MDU" -o jsonpath="{.status.breakingChanges[?(@.id==\"$id\")].summary} -> {.status.breakingChanges[?(@.id==\"$id\")].action}")"
        done
        info "The demo approves them, as that person would, by re-applying the example with the ids added:"
        awk -v ids="$pending" '{ print } /^  approvedChanges:/ { n = split(ids, a, " "); for (i = 1; i <= n; i++) print "    - " a[i] }' \
          examples/upgrade.yaml >"$STATE/upgrade-approved.yaml"
        diff -u examples/upgrade.yaml "$STATE/upgrade-approved.yaml" | tail -n +3 | sed 's/^/     /' || true
        k apply -f "$STATE/upgrade-approved.yaml"
        last=""
        approved=1
        echo
      fi
      ;;
  esac
  sleep 1
done
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
SERVER_IP="$(k get svc openmetadata -o jsonpath='{.spec.clusterIP}')"
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
read -r rows with_owner with_owners version <<<"$(data_facts)"
if ((ROLLBACK)); then
  [[ $rows == "$ROWS_BEFORE" && $with_owner == "$rows" && $with_owners == 0 && $version == "$FROM" ]] ||
    die "after the rollback table_entity has $rows rows ($ROWS_BEFORE before), $with_owner with owner, $with_owners with owners, and SERVER_CHANGE_LOG ends at $version (expected $FROM)"
  info "RolledBack: the failed migration had rewritten half of table_entity (owner -> owners);"
  info "the restore of $BACKUP put every row back: all $rows rows have 'owner' again, SERVER_CHANGE_LOG ends at $FROM."
else
  [[ $rows == "$ROWS_BEFORE" && $with_owner == 0 && $with_owners == "$rows" && $version == "$TO" ]] ||
    die "after the upgrade table_entity has $rows rows ($ROWS_BEFORE before), $with_owner with owner, $with_owners with owners, and SERVER_CHANGE_LOG ends at $version (expected $TO)"
  info "Succeeded: all $rows table_entity rows have 'owners' (the 1.5 migration), SERVER_CHANGE_LOG ends at $TO."
fi

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
