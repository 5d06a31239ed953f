#!/usr/bin/env bash
# Deletes the local control plane "metadataops" (stops its processes and
# removes its data) and the kubeconfig at the fixed path. The cached binaries
# are kept (delete ${XDG_CACHE_HOME:-$HOME/.cache}/metadataops/cluster to drop them).
set -euo pipefail

# shellcheck source=hack/cluster/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

take_lock
# The real node (hack/node), when it belongs to this control plane (its kubelet trusts this
# cluster's CA), goes first.
node_kubeconfig=/var/lib/metadataops-node/conf/kubelet.kubeconfig
if [[ -d /run/metadataops-node || -d /var/lib/metadataops-node ]] &&
  { [[ ! -f ${node_kubeconfig} ]] || grep -qF "${KWOK_CLUSTER_DIR}/pki/ca.crt" "${node_kubeconfig}"; }; then
  if [[ $(id -u) == 0 ]]; then
    "${HACK_CLUSTER_DIR}/../node/down.sh"
  else
    log "the real node is up (/run/metadataops-node): take it down as root with hack/node/down.sh"
  fi
fi
export KWOK_WORKDIR
if [[ ! -x "${KWOKCTL_BIN}" ]]; then
  log "kwokctl ${KWOK_VERSION} is not built (${KWOKCTL_BIN}); no cluster to delete"
  rm -f "${CLUSTER_KUBECONFIG}" "${CLUSTER_CACHE}/cluster.fingerprint"
  exit 0
fi
PATH="$(dirname "${KUBECTL_BIN}"):${PATH}"
export PATH

if "${KWOKCTL_BIN}" get clusters 9>&- 2>/dev/null | grep -qx "${CLUSTER_NAME}"; then
  log "deleting cluster '${CLUSTER_NAME}'"
  drop_stale_pids
  "${KWOKCTL_BIN}" delete cluster --name "${CLUSTER_NAME}" 9>&- >&2
else
  log "no cluster '${CLUSTER_NAME}' in ${KWOK_WORKDIR}: nothing to delete"
fi
rm -f "${CLUSTER_KUBECONFIG}" "${CLUSTER_CACHE}/cluster.fingerprint"
log "done"
