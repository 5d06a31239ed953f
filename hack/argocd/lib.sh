#!/usr/bin/env bash
# shellcheck disable=SC2034 # variables are used by the scripts that source this file
# Shared settings for hack/argocd/*.sh. Sourced, never executed.
# Every value can be overridden from the environment.

# The local control plane's settings (kubectl, kubeconfig, Go) and the node's helpers
# (apt_install_missing, pid_alive), which log through nlog/ndie: redefined below.
# shellcheck source=hack/node/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/../node" && pwd)/lib.sh"

ARGOCD_VERSION="${ARGOCD_VERSION:-v3.6.2}"
ARGOCD_MODULE=github.com/argoproj/argo-cd/v3
# argo-cd's go.mod replaces this module with ./gitops-engine, which its module zip lacks.
ARGOCD_GITOPS_ENGINE_MODULE=github.com/argoproj/argo-cd/gitops-engine/v3
# v3.6.x's go.mod says `go 1.27`; the toolchain comes from the Go module proxy.
ARGOCD_GOTOOLCHAIN="${ARGOCD_GOTOOLCHAIN:-go1.27.4}"

ARGOCD_CACHE="${METADATAOPS_ARGOCD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/metadataops/argocd}"
# What build.sh caches: the binary (plus the names it dispatches on), the CRDs and
# the two wrapper scripts the repo-server execs from PATH.
ARGOCD_DIST="${ARGOCD_CACHE}/${ARGOCD_VERSION}"
ARGOCD_BIN="${ARGOCD_DIST}/bin/argocd"
ARGOCD_CRDS="${ARGOCD_DIST}/crds"
# What up.sh leaves: logs, pids, the data dirs of both processes and state.env,
# which the Java tests read (io.metadataops.gitops.ArgoCd).
ARGOCD_RUN="${ARGOCD_CACHE}/run"
ARGOCD_STATE="${ARGOCD_RUN}/state.env"
ARGOCD_NAMESPACE="${METADATAOPS_ARGOCD_NAMESPACE:-argocd}"

HACK_ARGOCD_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "${HACK_ARGOCD_DIR}/../.." && pwd)"

log() { printf '[argocd %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[argocd %s] ERROR: %s\n' "$(date +%H:%M:%S)" "$*" >&2; exit 1; }
nlog() { log "$@"; }
ndie() { die "$@"; }
kubectl_argocd() { "${KUBECTL_BIN}" --kubeconfig "${CLUSTER_KUBECONFIG}" "$@"; }

# The processes up.sh starts, each with <run>/<name>.pid and <run>/<name>.log.
ARGOCD_PROCESSES=(argocd-application-controller argocd-repo-server redis-server)
# process_binary <name>: what /proc/<pid>/exe of that process must be.
process_binary() {
  case "$1" in
    redis-server) command -v redis-server || echo /usr/bin/redis-server ;;
    *) echo "${ARGOCD_BIN}" ;;
  esac
}

# take_argocd_lock: serialise build/up/down runs sharing this cache.
take_argocd_lock() {
  [[ -n "${METADATAOPS_ARGOCD_LOCKED:-}" ]] && return 0
  mkdir -p "${ARGOCD_CACHE}"
  exec 8>"${ARGOCD_CACHE}/.lock"
  if ! flock -n 8; then
    log "another hack/argocd script is using ${ARGOCD_CACHE}; waiting for it (up to 30 min)"
    flock -w 1800 8 || die "timed out waiting for the lock ${ARGOCD_CACHE}/.lock"
  fi
  export METADATAOPS_ARGOCD_LOCKED=$$
}
