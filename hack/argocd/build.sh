#!/usr/bin/env bash
# Builds Argo CD's application controller and repo server from the Go module
# proxy and caches them under
#   ${XDG_CACHE_HOME:-$HOME/.cache}/metadataops/argocd/<version>/
#     bin/argocd                          the one binary (cmd/main.go)
#     bin/argocd-application-controller   symlinks: the binary dispatches on its name
#     bin/argocd-repo-server
#     bin/git-verify-wrapper.sh           hack/ scripts the repo server execs from PATH
#     bin/gpg-wrapper.sh
#     crds/*.yaml                         manifests/crds of the same module
#
# github.com/argoproj/argo-cd/v3 is built inside a writable copy of its module
# directory. Its go.mod replaces github.com/argoproj/argo-cd/gitops-engine/v3 with
# ./gitops-engine, which the module zip lacks: the same version of that module is
# downloaded from the proxy and put there (go.mod untouched). The version needs a
# newer Go than the machine's: GOTOOLCHAIN fetches it from the module proxy.
# About 9 minutes on 2 cores; a cached build is reused.
#
# Usage: hack/argocd/build.sh [--force]
set -euo pipefail

# shellcheck source=hack/argocd/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

FORCE=false
for arg in "$@"; do
  case "${arg}" in
    --force) FORCE=true ;;
    -h | --help) sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: ${arg}" ;;
  esac
done

cached() {
  [[ "${FORCE}" == false && -x "${ARGOCD_BIN}" && -x "${ARGOCD_DIST}/bin/git-verify-wrapper.sh" &&
    -x "${ARGOCD_DIST}/bin/gpg-wrapper.sh" && -f "${ARGOCD_CRDS}/application-crd.yaml" ]]
}

take_argocd_lock
if cached; then
  log "argo-cd ${ARGOCD_VERSION}: cached at ${ARGOCD_DIST}"
  exit 0
fi
[[ -n "${GO}" ]] || die "Go toolchain not found (looked for 'go' in PATH and /usr/local/go/bin/go); set GO=/path/to/go"

START=${SECONDS}
BUILD_ROOT="${ARGOCD_CACHE}/build"
mkdir -p "${BUILD_ROOT}"
export CGO_ENABLED=0 GOWORK=off GOFLAGS=-buildvcs=false
export GOTOOLCHAIN="${ARGOCD_GOTOOLCHAIN}"
export GOPROXY="${GOPROXY:-https://proxy.golang.org,direct}"

log "argo-cd ${ARGOCD_VERSION}: downloading ${ARGOCD_MODULE} and ${ARGOCD_GITOPS_ENGINE_MODULE} (toolchain ${GOTOOLCHAIN})"
src="$(mod_dir "${ARGOCD_MODULE}@${ARGOCD_VERSION}")"
engine="$(mod_dir "${ARGOCD_GITOPS_ENGINE_MODULE}@${ARGOCD_VERSION}")"
grep -qE "^[[:space:]]*(replace[[:space:]]+)?${ARGOCD_GITOPS_ENGINE_MODULE//./\\.}[[:space:]].*=>[[:space:]]*\./gitops-engine" "${src}/go.mod" ||
  die "${src}/go.mod no longer replaces ${ARGOCD_GITOPS_ENGINE_MODULE} with ./gitops-engine; revisit this script"

# The module cache is read-only: build in a writable copy.
work="${BUILD_ROOT}/argo-cd-${ARGOCD_VERSION}"
rm -rf "${work}"
cp -r "${src}" "${work}"
chmod -R u+w "${work}"
rm -rf "${work}/gitops-engine"
cp -r "${engine}" "${work}/gitops-engine"
chmod -R u+w "${work}/gitops-engine"

logf="${BUILD_ROOT}/build-${ARGOCD_VERSION}.log"
log "building ${ARGOCD_MODULE}/cmd in ${work} (log ${logf})"
(cd "${work}" && exec nice -n 10 "${GO}" build -v -trimpath \
  -ldflags "-s -w -X ${ARGOCD_MODULE}/common.version=${ARGOCD_VERSION#v}" -o argocd ./cmd) >"${logf}" 2>&1 &
pid=$!
last=${SECONDS}
while kill -0 "${pid}" 2>/dev/null; do
  sleep 2
  if ((SECONDS - last >= 60)); then
    last=${SECONDS}
    log "  still building, $((SECONDS - START))s elapsed, $(wc -l <"${logf}") packages so far"
  fi
done
rc=0
wait "${pid}" || rc=$?
if ((rc != 0)); then
  grep -vE '^[A-Za-z0-9._~+-]+(/[A-Za-z0-9._~+-]+)*$' "${logf}" | tail -n 100 >&2 || true
  die "go build of argo-cd ${ARGOCD_VERSION} failed with exit code ${rc} after $((SECONDS - START))s (full log: ${logf})"
fi

# Install into a fresh directory, then swap it in: a half-written cache is never used.
stage="${ARGOCD_DIST}.tmp.$$"
rm -rf "${stage}"
mkdir -p "${stage}/bin" "${stage}/crds"
mv "${work}/argocd" "${stage}/bin/argocd"
ln -s argocd "${stage}/bin/argocd-application-controller"
ln -s argocd "${stage}/bin/argocd-repo-server"
install -m 0755 "${work}/hack/git-verify-wrapper.sh" "${work}/hack/gpg-wrapper.sh" "${stage}/bin/"
cp "${work}/manifests/crds/"*-crd.yaml "${stage}/crds/"
{
  echo "built: $(date -u +%Y-%m-%dT%H:%M:%SZ) in $((SECONDS - START))s"
  echo "go: $(cd "${work}" && "${GO}" version)"
  echo "source: ${ARGOCD_MODULE}@${ARGOCD_VERSION} with ${ARGOCD_GITOPS_ENGINE_MODULE}@${ARGOCD_VERSION} as ./gitops-engine"
} >"${stage}/BUILDINFO"
rm -rf "${ARGOCD_DIST}"
mv "${stage}" "${ARGOCD_DIST}"
# The copy is 100+ MB of sources; the Go build cache keeps what a rebuild needs.
rm -rf "${work}"

out="$("${ARGOCD_BIN}" version --client --short 2>&1 || true)"
grep -qF "${ARGOCD_VERSION#v}" <<<"${out}" || log "warning: 'argocd version --client' printed '${out}', expected ${ARGOCD_VERSION#v}"
log "argo-cd ${ARGOCD_VERSION} built in $((SECONDS - START))s: ${ARGOCD_DIST} ($(du -sh "${ARGOCD_BIN}" | cut -f1))"
