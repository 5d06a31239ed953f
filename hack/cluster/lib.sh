#!/usr/bin/env bash
# shellcheck disable=SC2034 # variables are used by the scripts that source this file
# Shared settings for hack/cluster/*.sh. Sourced, never executed.
# Every value can be overridden from the environment.

# Pinned versions (all built from the Go module proxy by build.sh).
ETCD_VERSION="${ETCD_VERSION:-v3.6.16}"
K8S_VERSION="${K8S_VERSION:-v1.34.4}"
KWOK_VERSION="${KWOK_VERSION:-v0.8.0}"
# The real node (hack/node): CoreDNS from the Go module proxy; pause from the
# kubernetes module (the TAG of its build/pause/Makefile).
COREDNS_VERSION="${COREDNS_VERSION:-v1.15.0}"
PAUSE_VERSION="${PAUSE_VERSION:-3.10.1}"

# Where binaries, the kwokctl workdir and the kubeconfig live.
CLUSTER_CACHE="${METADATAOPS_CLUSTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/metadataops/cluster}"
CLUSTER_NAME="${METADATAOPS_CLUSTER_NAME:-metadataops}"
CLUSTER_KUBECONFIG="${CLUSTER_CACHE}/kubeconfig"
# Fixed, unusual apiserver port on 127.0.0.1 (up.sh lets kwokctl pick a free one
# if it is busy). Deliberately below 10001: kwokctl gives etcd, the controller
# manager, the scheduler and kwok-controller random free ports scanning down from
# 32767, and does not skip the apiserver port it was given (with 32766, etcd took
# it and kube-apiserver failed with "bind: address already in use").
CLUSTER_APISERVER_PORT="${METADATAOPS_APISERVER_PORT:-9766}"
# The addresses the real node (hack/node) and its pods use, which the API server
# must know: the node's IP (the gateway of its pod bridge), where the API server is
# advertised; the Service range and the `kubernetes` Service address (its first).
NODE_IP="${METADATAOPS_NODE_IP:-10.88.0.1}"
SERVICE_CIDR="${METADATAOPS_SERVICE_CIDR:-10.0.0.0/24}"
KUBERNETES_SERVICE_IP="${METADATAOPS_KUBERNETES_SERVICE_IP:-10.0.0.1}"
# kwokctl keeps its clusters, logs and pki under this directory.
KWOK_WORKDIR="${CLUSTER_CACHE}/kwok"

GO="${GO:-}"
if [[ -z "${GO}" ]]; then
  if command -v go >/dev/null 2>&1; then
    GO="$(command -v go)"
  elif [[ -x /usr/local/go/bin/go ]]; then
    GO=/usr/local/go/bin/go
  fi
fi

HACK_CLUSTER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# Paths of the cached binaries: <cache>/<component>-<version>/<component>.
bin_path() { # component version
  printf '%s/%s-%s/%s\n' "${CLUSTER_CACHE}" "$1" "$2" "$1"
}
ETCD_BIN="$(bin_path etcd "${ETCD_VERSION}")"
KUBE_APISERVER_BIN="$(bin_path kube-apiserver "${K8S_VERSION}")"
KUBE_CONTROLLER_MANAGER_BIN="$(bin_path kube-controller-manager "${K8S_VERSION}")"
KUBE_SCHEDULER_BIN="$(bin_path kube-scheduler "${K8S_VERSION}")"
KUBECTL_BIN="$(bin_path kubectl "${K8S_VERSION}")"
KWOK_BIN="$(bin_path kwok "${KWOK_VERSION}")"
KWOKCTL_BIN="$(bin_path kwokctl "${KWOK_VERSION}")"
KUBELET_BIN="$(bin_path kubelet "${K8S_VERSION}")"
KUBE_PROXY_BIN="$(bin_path kube-proxy "${K8S_VERSION}")"
PAUSE_BIN="$(bin_path pause "${K8S_VERSION}")"
COREDNS_BIN="$(bin_path coredns "${COREDNS_VERSION}")"
# kwokctl's own cluster workdir/kubeconfig for CLUSTER_NAME.
KWOK_CLUSTER_DIR="${KWOK_WORKDIR}/clusters/${CLUSTER_NAME}"

log() { printf '[cluster %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[cluster %s] ERROR: %s\n' "$(date +%H:%M:%S)" "$*" >&2; exit 1; }

# mod_dir <module@version>: download the module zip (from within ${BUILD_ROOT}) and print
# its directory. Used by hack/cluster/build.sh and hack/argocd/build.sh.
mod_dir() {
  local out dir
  out="$(cd "${BUILD_ROOT}" && "${GO}" mod download -json "$1" 2>&1)" || die "cannot download $1 from the Go module proxy (${GOPROXY}): ${out}"
  dir="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"${out}" | head -n1)"
  [[ -n "${dir}" && -d "${dir}" ]] || die "go mod download $1 did not report a directory: ${out}"
  printf '%s\n' "${dir}"
}

# take_lock: serialise build/up/down runs sharing this cache (a second run
# waits instead of racing); nested calls (up.sh -> build.sh) skip it.
take_lock() {
  [[ -n "${METADATAOPS_CLUSTER_LOCKED:-}" ]] && return 0
  mkdir -p "${CLUSTER_CACHE}"
  exec 9>"${CLUSTER_CACHE}/.lock"
  if ! flock -n 9; then
    log "another hack/cluster script is using ${CLUSTER_CACHE}; waiting for it (up to 30 min)"
    flock -w 1800 9 || die "timed out waiting for the lock ${CLUSTER_CACHE}/.lock"
  fi
  export METADATAOPS_CLUSTER_LOCKED=$$
}

# drop_stale_pids: kwokctl trusts its pid files (signal 0 only). After a reboot
# or a killed session a pid may belong to an unrelated process, which kwokctl
# would then skip starting and later kill on stop/delete. Remove pid files whose
# live process is not one of this cluster's binaries.
drop_stale_pids() {
  local f pid cmd
  for f in "${KWOK_CLUSTER_DIR}"/pids/*.pid; do
    [[ -f "${f}" ]] || continue
    pid="$(tr -dc '0-9' <"${f}")"
    [[ -n "${pid}" ]] || { rm -f "${f}"; continue; }
    kill -0 "${pid}" 2>/dev/null || continue
    cmd="$(tr '\0' ' ' <"/proc/${pid}/cmdline" 2>/dev/null || true)"
    if [[ -z "${cmd}" ]]; then
      rm -f "${f}" # exited (a zombie not yet reaped)
    elif [[ "${cmd}" != "${KWOK_CLUSTER_DIR}/bin/"* ]]; then
      log "pid file $(basename "${f}") points to pid ${pid}, which is not part of this cluster (${cmd:0:80}): removing the stale pid file"
      rm -f "${f}"
    fi
  done
}
