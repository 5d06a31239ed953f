#!/usr/bin/env bash
# Takes the real node down and leaves nothing of it behind on this machine: its pods' processes,
# kubelet, kube-proxy, containerd and its shims; their mounts (the kubelet's root-dir bind mount,
# pod volumes, container root filesystems, network namespaces); the iptables/ip6tables chains of
# the kubelet, kube-proxy and CNI (KUBE-*, CNI-*); the bridge and the pods' veths; the kubepods
# cgroups; the sysctls it changed (restored); its state under /run and /var/lib; and its Node
# object, when the control plane answers. Kept: the binaries and the images (containerd's root
# under the cluster cache), as caches.
#
# Safe to run any time, also when nothing is up, and after a crash or a reboot.
set -euo pipefail

# shellcheck source=hack/node/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_root
take_lock
START=${SECONDS}

# stop <name> <binary>: SIGTERM the process of pid file <name>.pid (if it is <binary>), SIGKILL
# after 10 s.
stop() {
  local pidf="${NODE_RUN}/$1.pid" pid i
  if pid_alive "${pidf}" "$2"; then
    pid="$(tr -dc '0-9' <"${pidf}")"
    nlog "stopping $1 (pid ${pid})"
    kill "${pid}" 2>/dev/null || true
    for ((i = 0; i < 40; i++)); do
      kill -0 "${pid}" 2>/dev/null || break
      sleep 0.25
    done
    kill -9 "${pid}" 2>/dev/null || true
  fi
  rm -f "${pidf}"
}

stop kubelet "${KUBELET_BIN}"
stop kube-proxy "${KUBE_PROXY_BIN}"

if [[ ${METADATAOPS_NODE_KEEP_NODE_OBJECT:-0} != 1 && -f ${CLUSTER_KUBECONFIG} && -x ${KUBECTL_BIN} ]]; then
  # Its pods are garbage-collected with it; the scheduler stops considering it.
  kubectl_node --request-timeout=5s delete node "${REAL_NODE_NAME}" --ignore-not-found --wait=false >/dev/null 2>&1 || true
fi

# The cgroup directories the kubelet made (cgroupfs driver: /kubepods in every hierarchy).
kubepods_dirs() {
  local mp
  awk '$3 == "cgroup" || $3 == "cgroup2" {print $2}' /proc/self/mounts | sort -u | while read -r mp; do
    [[ -d ${mp}/kubepods ]] && echo "${mp}/kubepods"
    [[ -d ${mp}/kubepods.slice ]] && echo "${mp}/kubepods.slice"
  done
  return 0
}

# The pods' processes: everything in the kubepods cgroups (only pods live there).
kill_pods() {
  local round d pids
  for ((round = 0; round < 20; round++)); do
    pids="$(kubepods_dirs | while read -r d; do find "${d}" -name cgroup.procs -exec cat {} + 2>/dev/null; done | sort -u | tr '\n' ' ')"
    [[ -z ${pids// /} ]] && return 0
    ((round == 0)) && nlog "killing the pods' processes ($(wc -w <<<"${pids}"))"
    # shellcheck disable=SC2086
    kill -9 ${pids} 2>/dev/null || true
    sleep 0.25
  done
  nlog "warning: processes left in the kubepods cgroups: ${pids}"
}
kill_pods

CONTAINERD_BIN="$(command -v containerd || echo /usr/bin/containerd)"
if pid_alive "${NODE_RUN}/containerd.pid" "${CONTAINERD_BIN}"; then
  # The containers' records, so that a later start does not try to recover them.
  ids="$(ctr_node containers ls -q 2>/dev/null || true)"
  if [[ -n ${ids} ]]; then
    nlog "removing $(wc -l <<<"${ids}") containers from containerd"
    for id in ${ids}; do
      ctr_node tasks delete -f "${id}" >/dev/null 2>&1 || true
      ctr_node containers delete "${id}" >/dev/null 2>&1 || true
    done
  fi
fi
stop containerd "${CONTAINERD_BIN}"

# Shims of our containerd (they outlive it by design).
for p in /proc/[0-9]*; do
  cmd="$(tr '\0' ' ' <"${p}/cmdline" 2>/dev/null || true)"
  if [[ ${cmd} == *containerd-shim* && ${cmd} == *"${CONTAINERD_SOCK}"* ]]; then
    nlog "killing shim ${p#/proc/}"
    kill -9 "${p#/proc/}" 2>/dev/null || true
  fi
done
kill_pods

# Mounts under the node's directories, and the pods' network namespaces; deepest first.
unmount_all() {
  local mp n=0
  while read -r mp; do
    umount "${mp}" 2>/dev/null || umount -l "${mp}" 2>/dev/null || nlog "warning: cannot unmount ${mp}"
    n=$((n + 1))
  done < <(awk '{print $5}' /proc/self/mountinfo | sed 's/\\040/ /g' |
    grep -E "^(${KUBELET_ROOT}|${NODE_RUN}|${CONTAINERD_ROOT}|${NODE_STATE})(/|$)|^/run/netns/cni-|^/var/run/netns/cni-" |
    awk '{print length, $0}' | sort -rn | cut -d' ' -f2-)
  ((n == 0)) || nlog "unmounted ${n} mounts"
}
unmount_all
unmount_all # bind mounts stacked on the same point
for ns in /run/netns/cni-*; do
  [[ -e ${ns} ]] && rm -f "${ns}"
done
rmdir /run/netns 2>/dev/null || true

# iptables and ip6tables: what kube-proxy, the kubelet and CNI plugins made (KUBE-*, CNI-*).
if [[ -x ${KUBE_PROXY_BIN} ]]; then
  "${KUBE_PROXY_BIN}" --cleanup --v=0 >/dev/null 2>&1 || true
fi
clean_chains() { # iptables|ip6tables
  local ipt="$1" table rule chain
  command -v "${ipt}" >/dev/null || return 0
  for table in filter nat mangle raw; do
    "${ipt}" -t "${table}" -S >/dev/null 2>&1 || continue
    # (iptables-nft warns on stderr when legacy tables exist; they are not ours)
    # Rules jumping to our chains (in any chain), then our chains.
    { "${ipt}" -t "${table}" -S | grep -E '^-A .* -j (KUBE-|CNI-)' || true; } | while read -r rule; do
      eval "\"${ipt}\" -t ${table} -D ${rule#-A }" 2>/dev/null || true
    done
    for chain in $("${ipt}" -t "${table}" -S | awk '$1 == "-N" && ($2 ~ /^KUBE-/ || $2 ~ /^CNI-/) {print $2}'); do
      "${ipt}" -t "${table}" -F "${chain}" 2>/dev/null || true
    done
    for chain in $("${ipt}" -t "${table}" -S | awk '$1 == "-N" && ($2 ~ /^KUBE-/ || $2 ~ /^CNI-/) {print $2}'); do
      "${ipt}" -t "${table}" -X "${chain}" 2>/dev/null || nlog "warning: cannot delete ${ipt} -t ${table} chain ${chain}"
    done
  done
}
clean_chains iptables
clean_chains ip6tables

# The bridge (the pods' veths went with their network namespaces).
if ip link show "${NODE_BRIDGE}" >/dev/null 2>&1; then
  for veth in $(ip -o link show master "${NODE_BRIDGE}" 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1); do
    ip link del "${veth}" 2>/dev/null || true
  done
  ip link del "${NODE_BRIDGE}"
  nlog "deleted bridge ${NODE_BRIDGE}"
fi

# Sysctls back to what they were before node-up.
if [[ -f ${NODE_STATE}/sysctl.saved ]]; then
  while IFS='=' read -r k v; do
    [[ -n ${k} ]] && sysctl -q -w "${k}=${v}" 2>/dev/null || true
  done <"${NODE_STATE}/sysctl.saved"
fi

# kubepods cgroups, deepest first.
while read -r d; do
  find "${d}" -depth -type d -exec rmdir {} + 2>/dev/null || true
  [[ -d ${d} ]] && nlog "warning: cannot remove cgroup ${d}"
done < <(kubepods_dirs)

# State. libcni caches results under /var/lib/cni (ours: the network "metadataops" and
# containerd's loopback "cni-loopback"); the kubelet's device-plugin socket is at a fixed path,
# /var/lib/kubelet/device-plugins, whatever its root directory.
rm -rf "${NODE_RUN}" "${NODE_STATE}"
if [[ -d /var/lib/cni ]]; then
  rm -f /var/lib/cni/results/metadataops-* /var/lib/cni/results/cni-loopback-* 2>/dev/null || true
  find /var/lib/cni -depth -type d -empty -delete 2>/dev/null || true
fi
if [[ -d /var/lib/kubelet ]]; then
  rm -f /var/lib/kubelet/device-plugins/kubelet.sock
  find /var/lib/kubelet -depth -type d -empty -delete 2>/dev/null || true
fi
# containerd 1.6 puts shim sockets under /run/containerd/s whatever its state dir; remove what
# is left when no other containerd runs on this machine.
if ! pgrep -x containerd >/dev/null 2>&1; then
  for d in /run/containerd/s /run/containerd/runc /run/containerd/fifo; do
    [[ -d ${d} ]] && rm -rf "${d}"
  done
  rmdir /run/containerd 2>/dev/null || true
fi
nlog "node ${REAL_NODE_NAME} is down; nothing of it is left on this machine (cached: binaries, images in ${CONTAINERD_ROOT}) ($((SECONDS - START))s)"
