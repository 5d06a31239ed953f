#!/usr/bin/env bash
# Prints the one shell line that points kubectl and clients at the local cluster:
#   eval "$(hack/cluster/env.sh)"
# The matching kubectl is ${XDG_CACHE_HOME:-$HOME/.cache}/metadataops/cluster/kubectl-<version>/kubectl
# (see hack/cluster/README.md); a note goes to stderr when the cluster is not up.
set -euo pipefail

# shellcheck source=hack/cluster/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

printf 'export KUBECONFIG=%q\n' "${CLUSTER_KUBECONFIG}"
if [[ ! -f "${CLUSTER_KUBECONFIG}" ]]; then
  echo "# note: ${CLUSTER_KUBECONFIG} does not exist yet; run hack/cluster/up.sh (make cluster-up)" >&2
fi
