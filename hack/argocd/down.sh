#!/usr/bin/env bash
# Stops the Argo CD of up.sh (application controller, repo server, redis-server) and
# deletes the argocd namespace with its Applications. The objects the Applications
# deployed stay (no cascading delete); Argo CD's CRDs stay too, since deleting them
# would delete every Application in the cluster. The cached build is kept.
#
# Usage: hack/argocd/down.sh [--processes-only]
#   --processes-only   stop the processes and keep the namespace (used by up.sh)
set -euo pipefail

# shellcheck source=hack/argocd/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PROCESSES_ONLY=false
for arg in "$@"; do
  case "${arg}" in
    --processes-only) PROCESSES_ONLY=true ;;
    *) sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done

take_argocd_lock
for p in "${ARGOCD_PROCESSES[@]}"; do
  pidfile="${ARGOCD_RUN}/${p}.pid"
  if pid_alive "${pidfile}" "$(process_binary "${p}")"; then
    pid="$(cat "${pidfile}")"
    kill -TERM "${pid}"
    for _ in $(seq 50); do
      kill -0 "${pid}" 2>/dev/null || break
      sleep 0.2
    done
    kill -0 "${pid}" 2>/dev/null && kill -KILL "${pid}"
    log "stopped ${p} (pid ${pid})"
  fi
  rm -f "${pidfile}"
done
rm -f "${ARGOCD_STATE}"
[[ "${PROCESSES_ONLY}" == true ]] && exit 0

if kubectl_argocd get --raw /readyz >/dev/null 2>&1 &&
  kubectl_argocd get namespace "${ARGOCD_NAMESPACE}" >/dev/null 2>&1; then
  # Nothing runs to honour Argo CD's finalizers any more: drop them, or the namespace never goes.
  for app in $(kubectl_argocd -n "${ARGOCD_NAMESPACE}" get applications.argoproj.io -o name 2>/dev/null); do
    kubectl_argocd -n "${ARGOCD_NAMESPACE}" patch "${app}" --type merge -p '{"metadata":{"finalizers":null}}' >/dev/null
  done
  kubectl_argocd delete namespace "${ARGOCD_NAMESPACE}" --wait=true --timeout=60s >/dev/null
  log "deleted namespace ${ARGOCD_NAMESPACE}"
fi
log "Argo CD stopped (build cached in ${ARGOCD_DIST})"
