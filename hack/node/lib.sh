#!/usr/bin/env bash
# shellcheck disable=SC2034 # variables are used by the scripts that source this file
# Shared settings for hack/node/*.sh (the real node). Sourced, never executed.
# Every value can be overridden from the environment.

# shellcheck source=hack/cluster/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/../cluster" && pwd)/lib.sh"
HACK_NODE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "${HACK_NODE_DIR}/../.." && pwd)"

# The node's name, and the label/taint that keep the KWOK tests' pods off it and let the pods of
# the end-to-end namespaces (and CoreDNS) on it.
REAL_NODE_NAME="${METADATAOPS_REAL_NODE_NAME:-metadataops-real-0}"
REAL_NODE_LABEL_KEY=metadataops.io/node
REAL_NODE_LABEL_VALUE=real
REAL_NODE_TAINT_KEY=metadataops.io/real-node

# Network: one Linux bridge with the pods' subnet; its gateway address is the node's IP (the API
# server reaches the kubelet there, and pods reach the API server there).
NODE_BRIDGE="${METADATAOPS_NODE_BRIDGE:-mdops0}"
NODE_POD_SUBNET="${METADATAOPS_NODE_POD_SUBNET:-10.88.0.0/16}"
# NODE_IP, SERVICE_CIDR and KUBERNETES_SERVICE_IP come from hack/cluster/lib.sh (the API server
# needs them too). Cluster DNS has a fixed address in the Service range.
CLUSTER_DNS_IP="${METADATAOPS_CLUSTER_DNS_IP:-10.0.0.10}"
CLUSTER_DOMAIN=cluster.local
KUBELET_PORT="${METADATAOPS_KUBELET_PORT:-10250}"

# Where things live. Persistent (kept by node-down, like the binaries): the containerd root with
# the imported images. Everything else is removed by node-down.
NODE_CACHE="${CLUSTER_CACHE}/node"
CONTAINERD_ROOT="${NODE_CACHE}/containerd"
NODE_RUN=/run/metadataops-node
CONTAINERD_STATE="${NODE_RUN}/containerd"
CONTAINERD_SOCK="${CONTAINERD_STATE}/containerd.sock"
RUNC_ROOT="${NODE_RUN}/runc"
NODE_STATE=/var/lib/metadataops-node
KUBELET_ROOT="${NODE_STATE}/kubelet"
NODE_CONF="${NODE_STATE}/conf"
NODE_LOGS="${NODE_STATE}/logs"
CNI_CONF_DIR="${NODE_CONF}/cni"
CNI_DATA_DIR="${NODE_STATE}/cni"
CNI_BIN_DIR=/usr/lib/cni
# Volumes of the end-to-end tests (local PersistentVolumes on this node).
NODE_VOLUMES="${NODE_STATE}/volumes"

# Images the node needs itself (built by hack/image/build.py, imported into its containerd).
PAUSE_IMAGE="metadataops.local/pause:${PAUSE_VERSION}"
COREDNS_IMAGE="metadataops.local/coredns:${COREDNS_VERSION}"

NODE_PACKAGES=(containerd runc containernetworking-plugins iptables conntrack mmdebstrap gcc libc6-dev python3)

nlog() { printf '[node %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
ndie() { printf '[node %s] ERROR: %s\n' "$(date +%H:%M:%S)" "$*" >&2; exit 1; }

require_root() {
  [[ $(id -u) == 0 ]] || ndie "the real node needs root (containerd, runc, network, cgroups); run as root"
}

# apt_install_missing pkg...: installs what is not installed, from the Debian mirror.
apt_install_missing() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "${pkg}" 2>/dev/null | grep -q 'install ok installed' || missing+=("${pkg}")
  done
  ((${#missing[@]} == 0)) && return 0
  nlog "installing from Debian: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Packages must not start services themselves (containerd would start the system one).
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [[ ! -e ${policy} ]]; then
    printf '#!/bin/sh\nexit 101\n' >"${policy}" && chmod +x "${policy}" && created_policy=1
  fi
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  ((created_policy)) && rm -f "${policy}"
  return 0
}

# pid_alive <pid file> <binary>: the pid in the file runs <binary>.
pid_alive() {
  local pid exe
  pid="$(tr -dc '0-9' 2>/dev/null <"$1" || true)"
  [[ -n ${pid} ]] && kill -0 "${pid}" 2>/dev/null || return 1
  exe="$(readlink "/proc/${pid}/exe" 2>/dev/null || true)"
  [[ ${exe} == "$2" || ${exe} == "$(readlink -f "$2")" ]]
}

kubectl_node() { "${KUBECTL_BIN}" --kubeconfig "${CLUSTER_KUBECONFIG}" "$@"; }
ctr_node() { ctr --address "${CONTAINERD_SOCK}" -n k8s.io "$@"; }
