#!/usr/bin/env bash
# Runs a real Argo CD (application controller and repo server, built by build.sh) as
# local processes against the local control plane (hack/cluster), with:
#   - redis-server (Debian package, installed if missing) on a free 127.0.0.1 port;
#   - Argo CD's CRDs, and namespace argocd with argocd-cm, argocd-rbac-cm,
#     argocd-secret, argocd-cmd-params-cm and the `default` AppProject (argocd-server,
#     which would create it, does not run here);
#   - the operator's health checks (deploy/argocd/argocd-cm-patch.yaml) patched into
#     argocd-cm, as a user installs them.
# Applications use destination https://kubernetes.default.svc (ARGOCD_FAKE_IN_CLUSTER
# maps it to the kubeconfig) and may take a bare Git repository as file:///... repoURL.
#
# Idempotent: when everything runs it only re-applies the configuration (so edits of
# deploy/argocd land) and checks readiness. Prints the path of the state file
# (<cache>/argocd/run/state.env: ports, pids, log files) as its last stdout line.
#
# Usage: hack/argocd/up.sh
set -euo pipefail

# shellcheck source=hack/argocd/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# How often the controller compares every Application with Git (Argo CD's default is
# 120 s plus up to 60 s of jitter; nothing here sends Git webhooks, and tests that
# cannot wait use the refresh annotation, as a webhook would).
ARGOCD_RECONCILIATION="${METADATAOPS_ARGOCD_RECONCILIATION:-10s}"

[[ $# -eq 0 ]] || { sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2; }

take_argocd_lock
START=${SECONDS}
"${HACK_ARGOCD_DIR}/build.sh"
kubectl_argocd get --raw /readyz >/dev/null 2>&1 ||
  die "the local control plane does not answer (${CLUSTER_KUBECONFIG}); start it with make cluster-up"
apt_install_missing redis-server

mkdir -p "${ARGOCD_RUN}"

# The cluster the processes watch: a control plane created anew (make cluster-up after a
# change of its settings) has new credentials and no Argo CD objects, so processes started
# against the previous one are restarted.
CLUSTER_ID="$(kubectl_argocd get namespace kube-system -o jsonpath='{.metadata.uid}')"

all_running() {
  local p
  for p in "${ARGOCD_PROCESSES[@]}"; do
    pid_alive "${ARGOCD_RUN}/${p}.pid" "$(process_binary "${p}")" || return 1
  done
  [[ -f "${ARGOCD_STATE}" ]] && grep -qx "CLUSTER_ID=${CLUSTER_ID}" "${ARGOCD_STATE}"
}

# free_port: a TCP port nothing listens on, away from kwokctl's range (it scans down from 32767).
free_port() {
  local p
  for p in $(shuf -i 20000-29999 -n 100); do
    if ! ss -Htln "sport = :${p}" | grep -q . && [[ " ${TAKEN_PORTS:-} " != *" ${p} "* ]]; then
      TAKEN_PORTS="${TAKEN_PORTS:-} ${p}"
      echo "${p}"
      return
    fi
  done
  die "no free TCP port found in 20000-29999"
}

# start <name> <command...>: a detached process (its own session, so it outlives the
# caller, a test JVM included), logging to <run>/<name>.log.
start() {
  local name="$1"
  shift
  # Without the lock's file descriptor: an inherited one would hold the lock while it runs.
  nohup setsid "$@" >"${ARGOCD_RUN}/${name}.log" 2>&1 </dev/null 8>&- &
  echo $! >"${ARGOCD_RUN}/${name}.pid"
}

# http_ok <port> <path>: an HTTP 200 on 127.0.0.1.
http_ok() { curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$1$2"; }

# Settings: each is a key of argocd-cm or argocd-cmd-params-cm and the environment
# variable that Argo CD's own manifests set from that key; up.sh writes the key and
# exports the variable to the processes, the values agree by construction.
SETTINGS=()
setting() { SETTINGS+=("$1|$2|$3|$4"); } # <configmap> <key> <env var> <value>
settings_configmap() { # <name>: the ConfigMap with the settings of that name
  local s cm key var value
  printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n  namespace: %s\n  labels:\n    app.kubernetes.io/part-of: argocd\ndata:\n' "$1" "${ARGOCD_NAMESPACE}"
  for s in "${SETTINGS[@]}"; do
    IFS='|' read -r cm key var value <<<"${s}"
    if [[ "${cm}" == "$1" ]]; then printf '  %s: "%s"\n' "${key}" "${value}"; fi
  done
}
settings_env() {
  local s cm key var value
  for s in "${SETTINGS[@]}"; do
    IFS='|' read -r cm key var value <<<"${s}"
    printf '%s=%s\n' "${var}" "${value}"
  done
}

STARTING=false
if all_running; then
  # shellcheck source=/dev/null
  source "${ARGOCD_STATE}"
  # What the running processes were started with.
  ARGOCD_RECONCILIATION="${RECONCILIATION}"
  log "already running (controller pid $(cat "${ARGOCD_RUN}/argocd-application-controller.pid"), repo server pid $(cat "${ARGOCD_RUN}/argocd-repo-server.pid"), redis ${REDIS_ADDRESS})"
else
  STARTING=true
  "${HACK_ARGOCD_DIR}/down.sh" --processes-only
  REDIS_PORT="$(free_port)"
  REPO_SERVER_PORT="$(free_port)"
  REPO_SERVER_METRICS_PORT="$(free_port)"
  CONTROLLER_METRICS_PORT="$(free_port)"
  REDIS_ADDRESS="127.0.0.1:${REDIS_PORT}"
  REPO_SERVER_ADDRESS="127.0.0.1:${REPO_SERVER_PORT}"
fi

setting argocd-cm timeout.reconciliation ARGOCD_RECONCILIATION_TIMEOUT "${ARGOCD_RECONCILIATION}"
setting argocd-cm timeout.reconciliation.jitter ARGOCD_RECONCILIATION_JITTER 0s
setting argocd-cmd-params-cm redis.server REDIS_SERVER "${REDIS_ADDRESS}"
setting argocd-cmd-params-cm repo.server ARGOCD_APPLICATION_CONTROLLER_REPO_SERVER "${REPO_SERVER_ADDRESS}"
setting argocd-cmd-params-cm controller.repo.server.plaintext ARGOCD_APPLICATION_CONTROLLER_REPO_SERVER_PLAINTEXT true
# Argo CD 3 keeps each resource's health in Redis only; persisted, status.resources[].health
# shows the tests (and kubectl users) a health check's status and message.
setting argocd-cmd-params-cm controller.resource.health.persist ARGOCD_APPLICATION_CONTROLLER_PERSIST_RESOURCE_HEALTH true
setting argocd-cmd-params-cm controller.log.format ARGOCD_APPLICATION_CONTROLLER_LOGFORMAT text
setting argocd-cmd-params-cm reposerver.disable.tls ARGOCD_REPO_SERVER_DISABLE_TLS true
setting argocd-cmd-params-cm reposerver.listen.address ARGOCD_REPO_SERVER_LISTEN_ADDRESS 127.0.0.1
setting argocd-cmd-params-cm reposerver.log.format ARGOCD_REPO_SERVER_LOGFORMAT text

# ---------------------------------------------------------------- cluster objects
kubectl_argocd apply --server-side --force-conflicts -f "${ARGOCD_CRDS}" >/dev/null
# kubectl wait fails instead of waiting while a new CRD has no status.conditions yet.
for i in $(seq 60); do
  kubectl_argocd wait --for condition=Established --timeout=60s -f "${ARGOCD_CRDS}" >/dev/null 2>&1 && break
  ((i < 60)) || die "Argo CD's CRDs are not Established after 60 s"
  sleep 1
done
kubectl_argocd create namespace "${ARGOCD_NAMESPACE}" --dry-run=client -o yaml | kubectl_argocd apply -f - >/dev/null
{
  settings_configmap argocd-cm
  echo ---
  settings_configmap argocd-cmd-params-cm
  echo ---
  cat <<EOF
# No one logs in (argocd-server does not run): no policy, no default role.
apiVersion: v1
kind: ConfigMap
metadata:
  name: argocd-rbac-cm
  namespace: ${ARGOCD_NAMESPACE}
  labels:
    app.kubernetes.io/part-of: argocd
data:
  policy.default: ""
---
# Argo CD's default project, as argocd-server creates it: any source, any destination.
apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata:
  name: default
  namespace: ${ARGOCD_NAMESPACE}
spec:
  sourceRepos: ["*"]
  destinations:
  - server: "*"
    namespace: "*"
  clusterResourceWhitelist:
  - group: "*"
    kind: "*"
EOF
} | kubectl_argocd apply -f - >/dev/null
# The settings manager needs argocd-secret; its signing key is generated once, never printed.
if ! kubectl_argocd -n "${ARGOCD_NAMESPACE}" get secret argocd-secret >/dev/null 2>&1; then
  kubectl_argocd -n "${ARGOCD_NAMESPACE}" create secret generic argocd-secret \
    --from-file=server.secretkey=<(head -c 32 /dev/urandom | base64 -w0) >/dev/null
  kubectl_argocd -n "${ARGOCD_NAMESPACE}" label secret argocd-secret app.kubernetes.io/part-of=argocd >/dev/null
fi
# The shipped health checks, installed the way deploy/argocd/argocd-cm-patch.yaml says.
kubectl_argocd -n "${ARGOCD_NAMESPACE}" patch configmap argocd-cm \
  --patch-file "${REPO_ROOT}/deploy/argocd/argocd-cm-patch.yaml" >/dev/null

# ---------------------------------------------------------------- processes
if [[ "${STARTING}" == true ]]; then
  for d in tls ssh gpg-keys gnupg tmp; do
    rm -rf "${ARGOCD_RUN:?}/${d}"
    mkdir -p "${ARGOCD_RUN}/${d}"
  done
  chmod 700 "${ARGOCD_RUN}/gnupg"
  start redis-server "$(process_binary redis-server)" --bind 127.0.0.1 --port "${REDIS_PORT}" \
    --save "" --appendonly no --dir "${ARGOCD_RUN}/tmp"
  argocd_env=(
    env "KUBECONFIG=${CLUSTER_KUBECONFIG}"
    # The in-cluster destination (https://kubernetes.default.svc) is the kubeconfig's cluster.
    ARGOCD_FAKE_IN_CLUSTER=true
    ARGOCD_GPG_ENABLED=false
    "ARGOCD_TLS_DATA_PATH=${ARGOCD_RUN}/tls"
    "ARGOCD_SSH_DATA_PATH=${ARGOCD_RUN}/ssh"
    "ARGOCD_GPG_DATA_PATH=${ARGOCD_RUN}/gpg-keys"
    "ARGOCD_GNUPGHOME=${ARGOCD_RUN}/gnupg"
    # One controller that owns every cluster, whatever this machine's hostname ends with.
    ARGOCD_CONTROLLER_REPLICAS=1
    ARGOCD_CONTROLLER_SHARD=0
    # The repo server execs git-verify-wrapper.sh and gpg-wrapper.sh from PATH.
    "PATH=${ARGOCD_DIST}/bin:${PATH}"
    # Where the repo server clones repositories (<TMPDIR>/_argocd-repo).
    "TMPDIR=${ARGOCD_RUN}/tmp"
    # The repo server's Git credential socket (default /tmp/reposerver-ask-pass.sock).
    "ARGOCD_ASK_PASS_SOCK=${ARGOCD_RUN}/ask-pass.sock"
  )
  mapfile -t settings_vars < <(settings_env)
  argocd_env+=("${settings_vars[@]}")
  start argocd-repo-server "${argocd_env[@]}" "${ARGOCD_DIST}/bin/argocd-repo-server" \
    --port "${REPO_SERVER_PORT}" --metrics-address 127.0.0.1 --metrics-port "${REPO_SERVER_METRICS_PORT}" \
    --client-ca-path= # its default (a mounted Secret's path) is refused together with disabled TLS
  start argocd-application-controller "${argocd_env[@]}" "${ARGOCD_DIST}/bin/argocd-application-controller" \
    --namespace "${ARGOCD_NAMESPACE}" --metrics-port "${CONTROLLER_METRICS_PORT}"
  cat >"${ARGOCD_STATE}" <<EOF
# Written by hack/argocd/up.sh; read by down.sh and the Java tests (io.metadataops.gitops.ArgoCd).
ARGOCD_VERSION=${ARGOCD_VERSION}
ARGOCD_NAMESPACE=${ARGOCD_NAMESPACE}
KUBECONFIG=${CLUSTER_KUBECONFIG}
CLUSTER_ID=${CLUSTER_ID}
REDIS_PORT=${REDIS_PORT}
REDIS_ADDRESS=${REDIS_ADDRESS}
REPO_SERVER_PORT=${REPO_SERVER_PORT}
REPO_SERVER_ADDRESS=${REPO_SERVER_ADDRESS}
REPO_SERVER_METRICS_PORT=${REPO_SERVER_METRICS_PORT}
CONTROLLER_METRICS_PORT=${CONTROLLER_METRICS_PORT}
CONTROLLER_LOG=${ARGOCD_RUN}/argocd-application-controller.log
REPO_SERVER_LOG=${ARGOCD_RUN}/argocd-repo-server.log
REDIS_LOG=${ARGOCD_RUN}/redis-server.log
RECONCILIATION=${ARGOCD_RECONCILIATION}
EOF
  log "started redis-server on ${REDIS_ADDRESS}, argocd-repo-server on ${REPO_SERVER_ADDRESS}, argocd-application-controller (metrics :${CONTROLLER_METRICS_PORT}); logs in ${ARGOCD_RUN}"
fi

# ---------------------------------------------------------------- readiness
ready() {
  http_ok "${REPO_SERVER_METRICS_PORT}" /healthz && http_ok "${CONTROLLER_METRICS_PORT}" /healthz
}
deadline=$((SECONDS + 60))
until ready; do
  for p in "${ARGOCD_PROCESSES[@]}"; do
    pid_alive "${ARGOCD_RUN}/${p}.pid" "$(process_binary "${p}")" ||
      die "${p} exited; the end of ${ARGOCD_RUN}/${p}.log:
$(tail -n 30 "${ARGOCD_RUN}/${p}.log")"
  done
  ((SECONDS < deadline)) || die "Argo CD not ready within 60 s; logs in ${ARGOCD_RUN}"
  sleep 0.2
done
log "Argo CD ${ARGOCD_VERSION} ready in $((SECONDS - START))s (namespace ${ARGOCD_NAMESPACE}, reconciliation every ${ARGOCD_RECONCILIATION})"
echo "${ARGOCD_STATE}"
