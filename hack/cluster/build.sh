#!/usr/bin/env bash
# Builds the local control-plane binaries from the Go module proxy with the
# machine's Go toolchain, and caches them per component and version under
#   ${XDG_CACHE_HOME:-$HOME/.cache}/metadataops/cluster/<component>-<version>/<component>
#
#   etcd                                       go.etcd.io/etcd/server/v3   ${ETCD_VERSION}
#   kube-apiserver, kube-controller-manager,
#   kube-scheduler, kubectl                    k8s.io/kubernetes           ${K8S_VERSION}
#   kwok, kwokctl                              sigs.k8s.io/kwok            ${KWOK_VERSION}
# and with --node, for the real node (hack/node):
#   kubelet, kube-proxy                        k8s.io/kubernetes           ${K8S_VERSION}
#   pause (gcc -static build/pause/linux/pause.c of that module)           ${PAUSE_VERSION}
#   coredns                                    github.com/coredns/coredns  ${COREDNS_VERSION}
#
# A cached binary is reused; only missing ones are built. Nothing is downloaded
# from anywhere but the Go module proxy (GOPROXY). Any failure is fatal.
#
# Usage: hack/cluster/build.sh [--force] [--node]
#   --force   rebuild even if the binaries are cached
#   --node    also build the real node's binaries
set -euo pipefail

# shellcheck source=hack/cluster/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

FORCE=false
NODE=false
for arg in "$@"; do
  case "${arg}" in
    --force) FORCE=true ;;
    --node) NODE=true ;;
    -h | --help) sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: ${arg}" ;;
  esac
done

# Go is only needed when something has to be built.
GO_VERSION_OUT=""
require_go() {
  [[ -z "${GO_VERSION_OUT}" ]] || return 0
  [[ -n "${GO}" ]] || die "Go toolchain not found (looked for 'go' in PATH and /usr/local/go/bin/go); install Go >= 1.26 or set GO=/path/to/go"
  GO_VERSION_OUT="$("${GO}" version 2>&1)" || die "'${GO} version' failed: ${GO_VERSION_OUT}"
  log "using ${GO_VERSION_OUT} (${GO})"
}

take_lock
BUILD_ROOT="${CLUSTER_CACHE}/build"
mkdir -p "${BUILD_ROOT}"

# Static, reproducible-ish builds; never switch toolchains behind our back.
export CGO_ENABLED=0
export GOTOOLCHAIN=local
export GOFLAGS="-mod=mod -buildvcs=false"
export GOWORK=off
# The module proxy is the only source (the Go default already; an explicit
# GOPROXY from the environment is respected).
export GOPROXY="${GOPROXY:-https://proxy.golang.org,direct}"

SCRIPT_START=${SECONDS}

all_present() { # binaries...
  local b
  [[ "${FORCE}" == true ]] && return 1
  for b in "$@"; do
    [[ -x "${b}" ]] || return 1
  done
  return 0
}

# mod_field <module@version> <Field>: a string field of `go list -m -json`.
mod_field() {
  local out
  out="$(cd "${BUILD_ROOT}" && "${GO}" list -m -json "$1" 2>&1)" || die "cannot resolve $1 from the Go module proxy (${GOPROXY}): ${out}"
  sed -n "s/^[[:space:]]*\"$2\": \"\\(.*\\)\",\{0,1\}\$/\\1/p" <<<"${out}" | head -n1
}

# go_directive <go.mod>: the `go` and `godebug` lines of a go.mod.
go_directives() {
  grep -E '^(go [0-9]|godebug )' "$1" || true
}

# run_go_build <label> <module dir> <out dir> <ldflags> <packages...>
# Runs one `go build` for all packages (shared build cache, one link phase per
# binary), logging to <module dir>/build.log and printing progress.
run_go_build() {
  local label="$1" moddir="$2" outdir="$3" ldflags="$4"
  shift 4
  local logf="${moddir}/build.log" start=${SECONDS} pid rc=0 last_report=${SECONDS} n
  rm -rf "${outdir}"
  mkdir -p "${outdir}"
  log "building ${label}: go build ${*}"
  log "  (module ${moddir}, log ${logf})"
  (cd "${moddir}" && exec "${GO}" build -v -trimpath -ldflags="${ldflags}" -o "${outdir}/" "$@") >"${logf}" 2>&1 &
  pid=$!
  while kill -0 "${pid}" 2>/dev/null; do
    sleep 2
    if ((SECONDS - last_report >= 30)); then
      last_report=${SECONDS}
      n="$(grep -cE '^[A-Za-z0-9._~+-]+(/[A-Za-z0-9._~+-]+)*$' "${logf}" || true)"
      log "  ${label}: still building, $((SECONDS - start))s elapsed, ${n} packages compiled so far (last: $(tail -n1 "${logf}" | cut -c1-100))"
    fi
  done
  wait "${pid}" || rc=$?
  if ((rc != 0)); then
    {
      echo "----- go build output for ${label} (package list lines omitted; full log: ${logf}) -----"
      grep -vE '^[A-Za-z0-9._~+-]+(/[A-Za-z0-9._~+-]+)*$' "${logf}" | tail -n 200 || true
      echo "----- end of go build output -----"
    } >&2
    die "go build of ${label} failed with exit code ${rc} after $((SECONDS - start))s"
  fi
  log "built ${label} in $((SECONDS - start))s"
  printf '%s %s %ss\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${label}" "$((SECONDS - start))" >>"${BUILD_ROOT}/build-times.log"
}

# install_bin <built file> <destination>: atomic move into the cache.
install_bin() {
  local src="$1" dst="$2"
  [[ -x "${src}" ]] || die "expected build output ${src} is missing"
  mkdir -p "$(dirname "${dst}")"
  mv -f "${src}" "${dst}.tmp.$$"
  mv -f "${dst}.tmp.$$" "${dst}"
  {
    echo "built: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "go: ${GO_VERSION_OUT}"
    echo "source: ${BUILD_SOURCE}"
  } >"$(dirname "${dst}")/BUILDINFO"
  log "  installed ${dst}"
}

# new_module <dir> <module path> <go.mod of the dependency to copy go/godebug from>
new_module() {
  local dir="$1" path="$2" depmod="$3"
  rm -rf "${dir}"
  mkdir -p "${dir}"
  {
    echo "// Throwaway module generated by hack/cluster/build.sh; safe to delete."
    echo "module ${path}"
    echo
    go_directives "${depmod}"
  } >"${dir}/go.mod"
}

# ---------------------------------------------------------------- etcd
build_etcd() {
  if all_present "${ETCD_BIN}"; then
    log "etcd ${ETCD_VERSION}: cached at ${ETCD_BIN}"
    return
  fi
  local mod=go.etcd.io/etcd/server/v3 src moddir
  require_go
  log "etcd ${ETCD_VERSION}: resolving ${mod}@${ETCD_VERSION} from the module proxy"
  src="$(mod_dir "${mod}@${ETCD_VERSION}")"
  moddir="${BUILD_ROOT}/etcd-${ETCD_VERSION}"
  new_module "${moddir}" metadataops.local/build/etcd "${src}/go.mod"
  echo "require ${mod} ${ETCD_VERSION}" >>"${moddir}/go.mod"
  BUILD_SOURCE="${mod}@${ETCD_VERSION}"
  run_go_build "etcd ${ETCD_VERSION}" "${moddir}" "${moddir}/out" \
    "-s -w -X 'go.etcd.io/etcd/api/v3/version.GitSHA=${ETCD_VERSION}-gomodproxy'" \
    "${mod}"
  # The main package is the module root: go build names it "server" (the
  # element before the /v3 major-version suffix).
  install_bin "${moddir}/out/server" "${ETCD_BIN}"
}

# ---------------------------------------------------------------- kwok
build_kwok() {
  if all_present "${KWOK_BIN}" "${KWOKCTL_BIN}"; then
    log "kwok ${KWOK_VERSION}: cached at ${KWOK_BIN} and ${KWOKCTL_BIN}"
    return
  fi
  local mod=sigs.k8s.io/kwok src moddir
  require_go
  log "kwok ${KWOK_VERSION}: resolving ${mod}@${KWOK_VERSION} from the module proxy"
  src="$(mod_dir "${mod}@${KWOK_VERSION}")"
  moddir="${BUILD_ROOT}/kwok-${KWOK_VERSION}"
  new_module "${moddir}" metadataops.local/build/kwok "${src}/go.mod"
  echo "require ${mod} ${KWOK_VERSION}" >>"${moddir}/go.mod"
  BUILD_SOURCE="${mod}@${KWOK_VERSION}"
  # consts.Version defaults to the release's version already; KubeVersion sets
  # kwokctl's default --kube-version to the Kubernetes we build.
  run_go_build "kwok+kwokctl ${KWOK_VERSION}" "${moddir}" "${moddir}/out" \
    "-s -w -X 'sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION}' -X 'sigs.k8s.io/kwok/pkg/consts.KubeVersion=${K8S_VERSION}'" \
    "${mod}/cmd/kwok" "${mod}/cmd/kwokctl"
  install_bin "${moddir}/out/kwok" "${KWOK_BIN}"
  install_bin "${moddir}/out/kwokctl" "${KWOKCTL_BIN}"
}

# ---------------------------------------------------------------- kubernetes
# kubernetes_module <moddir>: a throwaway module that builds k8s.io/kubernetes
# ${K8S_VERSION}; sets K8S_LDFLAGS (version stamping) and BUILD_SOURCE.
kubernetes_module() {
  local moddir="$1" mod=k8s.io/kubernetes src staging_version major minor build_date m
  require_go
  [[ "${K8S_VERSION}" =~ ^v1\.([0-9]+)\.([0-9]+)$ ]] || die "K8S_VERSION must look like v1.<minor>.<patch>, got ${K8S_VERSION}"
  major=1
  minor="${BASH_REMATCH[1]}"
  # Staging modules (k8s.io/api, client-go, ...) are published as v0.<minor>.<patch>.
  staging_version="v0.${BASH_REMATCH[1]}.${BASH_REMATCH[2]}"
  log "kubernetes ${K8S_VERSION}: resolving ${mod}@${K8S_VERSION} from the module proxy (staging modules at ${staging_version})"
  src="$(mod_dir "${mod}@${K8S_VERSION}")"
  KUBERNETES_SRC="${src}"
  build_date="$(mod_field "${mod}@${K8S_VERSION}" Time)"
  [[ -n "${build_date}" ]] || build_date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  new_module "${moddir}" metadataops.local/build/kubernetes "${src}/go.mod"
  {
    echo "require ${mod} ${K8S_VERSION}"
    echo
    echo "// k8s.io/kubernetes requires its staging modules at v0.0.0 and replaces them"
    echo "// with ./staging/..., which only works inside its own repository. Use the"
    echo "// published releases of the same Kubernetes version instead."
    echo "replace ("
    # Every `k8s.io/<name> v0.0.0` requirement of k8s.io/kubernetes' go.mod.
    sed -n 's#^[[:space:]]*\(k8s\.io/[A-Za-z0-9._-]*\) v0\.0\.0\([[:space:]].*\)\{0,1\}$#\1#p' "${src}/go.mod" | sort -u |
      while read -r m; do
        printf '\t%s => %s %s\n' "${m}" "${m}" "${staging_version}"
      done
    echo ")"
  } >>"${moddir}/go.mod"
  grep -q '=> k8s.io/api ' "${moddir}/go.mod" || die "found no staging requirements in ${src}/go.mod; cannot build ${mod}@${K8S_VERSION}"
  log "kubernetes ${K8S_VERSION}: $(grep -c ' => ' "${moddir}/go.mod") staging modules replaced with ${staging_version}"
  BUILD_SOURCE="${mod}@${K8S_VERSION} with staging modules at ${staging_version}"
  local pkg
  K8S_LDFLAGS="-s -w"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    K8S_LDFLAGS+=" -X '${pkg}.gitVersion=${K8S_VERSION}'"
    K8S_LDFLAGS+=" -X '${pkg}.gitMajor=${major}'"
    K8S_LDFLAGS+=" -X '${pkg}.gitMinor=${minor}'"
    # Built from the module zip, not a git checkout: there is no commit to report.
    K8S_LDFLAGS+=" -X '${pkg}.gitCommit='"
    K8S_LDFLAGS+=" -X '${pkg}.gitTreeState=archive'"
    K8S_LDFLAGS+=" -X '${pkg}.buildDate=${build_date}'"
  done
}

build_kubernetes() {
  if all_present "${KUBE_APISERVER_BIN}" "${KUBE_CONTROLLER_MANAGER_BIN}" "${KUBE_SCHEDULER_BIN}" "${KUBECTL_BIN}"; then
    log "kubernetes ${K8S_VERSION}: cached (kube-apiserver, kube-controller-manager, kube-scheduler, kubectl under ${CLUSTER_CACHE})"
    return
  fi
  local mod=k8s.io/kubernetes moddir="${BUILD_ROOT}/kubernetes-${K8S_VERSION}"
  kubernetes_module "${moddir}"
  run_go_build "kubernetes ${K8S_VERSION} (kube-apiserver, kube-controller-manager, kube-scheduler, kubectl)" \
    "${moddir}" "${moddir}/out" "${K8S_LDFLAGS}" \
    "${mod}/cmd/kube-apiserver" "${mod}/cmd/kube-controller-manager" "${mod}/cmd/kube-scheduler" "${mod}/cmd/kubectl"
  install_bin "${moddir}/out/kube-apiserver" "${KUBE_APISERVER_BIN}"
  install_bin "${moddir}/out/kube-controller-manager" "${KUBE_CONTROLLER_MANAGER_BIN}"
  install_bin "${moddir}/out/kube-scheduler" "${KUBE_SCHEDULER_BIN}"
  install_bin "${moddir}/out/kubectl" "${KUBECTL_BIN}"
}

# ---------------------------------------------------------------- the real node (--node)
# kubelet and kube-proxy from the same k8s.io/kubernetes module and flags as the
# control plane (its own module directory with the same go.mod, so the Go build
# cache is shared: ~1 min once the control plane is built), and the pause
# binary from the module's build/pause/linux/pause.c (gcc -static, as upstream).
build_kubernetes_node() {
  if all_present "${KUBELET_BIN}" "${KUBE_PROXY_BIN}" "${PAUSE_BIN}"; then
    log "kubernetes ${K8S_VERSION} node: cached (kubelet, kube-proxy, pause under ${CLUSTER_CACHE})"
    return
  fi
  local mod=k8s.io/kubernetes moddir="${BUILD_ROOT}/kubernetes-node-${K8S_VERSION}" cc
  kubernetes_module "${moddir}"
  if ! all_present "${KUBELET_BIN}" "${KUBE_PROXY_BIN}"; then
    run_go_build "kubernetes ${K8S_VERSION} (kubelet, kube-proxy)" \
      "${moddir}" "${moddir}/out" "${K8S_LDFLAGS}" "${mod}/cmd/kubelet" "${mod}/cmd/kube-proxy"
    install_bin "${moddir}/out/kubelet" "${KUBELET_BIN}"
    install_bin "${moddir}/out/kube-proxy" "${KUBE_PROXY_BIN}"
  fi
  if ! all_present "${PAUSE_BIN}"; then
    cc="${CC:-gcc}"
    command -v "${cc}" >/dev/null || die "no C compiler (${cc}) for the pause binary: apt-get install gcc libc6-dev"
    [[ -f "${KUBERNETES_SRC}/build/pause/linux/pause.c" ]] || die "no build/pause/linux/pause.c in ${KUBERNETES_SRC}"
    mkdir -p "${moddir}/out"
    # The flags of build/pause/Makefile; VERSION names the module instead of a git revision.
    "${cc}" -Os -Wall -Werror -static -DVERSION="v${PAUSE_VERSION}-${K8S_VERSION}-gomodproxy" \
      -o "${moddir}/out/pause" "${KUBERNETES_SRC}/build/pause/linux/pause.c" >"${moddir}/pause-build.log" 2>&1 ||
      die "gcc -static pause.c failed (needs libc6-dev): $(cat "${moddir}/pause-build.log")"
    BUILD_SOURCE="${KUBERNETES_SRC##*/}/build/pause/linux/pause.c (gcc -Os -static)"
    install_bin "${moddir}/out/pause" "${PAUSE_BIN}"
  fi
}

# CoreDNS, the cluster DNS of the real node: github.com/coredns/coredns, with a
# main package of our own that links only the plugins the Corefile of
# hack/node uses (as CoreDNS documents for custom builds; the stock main pulls
# in every cloud SDK and takes several times longer to build).
COREDNS_PLUGINS=(errors health ready kubernetes cache loadbalance log)
build_coredns() {
  if all_present "${COREDNS_BIN}"; then
    log "coredns ${COREDNS_VERSION}: cached at ${COREDNS_BIN}"
    return
  fi
  local mod=github.com/coredns/coredns src moddir p
  require_go
  log "coredns ${COREDNS_VERSION}: resolving ${mod}@${COREDNS_VERSION} from the module proxy"
  src="$(mod_dir "${mod}@${COREDNS_VERSION}")"
  moddir="${BUILD_ROOT}/coredns-${COREDNS_VERSION}"
  new_module "${moddir}" metadataops.local/build/coredns "${src}/go.mod"
  echo "require ${mod} ${COREDNS_VERSION}" >>"${moddir}/go.mod"
  {
    echo "// Generated by hack/cluster/build.sh: CoreDNS with the plugins of hack/node's Corefile."
    echo "package main"
    echo
    echo "import ("
    echo "	\"${mod}/core/dnsserver\""
    echo "	\"${mod}/coremain\""
    for p in "${COREDNS_PLUGINS[@]}"; do
      echo "	_ \"${mod}/plugin/${p}\""
    done
    echo ")"
    echo
    echo "func init() {"
    echo "	// The order plugins run in, from CoreDNS' plugin.cfg, restricted to those linked."
    printf '	dnsserver.Directives = []string{'
    # plugin.cfg lines are "name:package"; keep its order.
    grep -E '^[a-z0-9_]+:' "${src}/plugin.cfg" | cut -d: -f1 | while read -r p; do
      if [[ " ${COREDNS_PLUGINS[*]} " == *" ${p} "* ]]; then printf '"%s", ' "${p}"; fi
    done
    echo "}"
    echo "}"
    echo
    echo "func main() { coremain.Run() }"
  } >"${moddir}/main.go"
  BUILD_SOURCE="${mod}@${COREDNS_VERSION} (plugins: ${COREDNS_PLUGINS[*]})"
  run_go_build "coredns ${COREDNS_VERSION}" "${moddir}" "${moddir}/out" \
    "-s -w -X '${mod}/coremain.GitCommit=${COREDNS_VERSION}-gomodproxy'" .
  install_bin "${moddir}/out/coredns" "${COREDNS_BIN}"
}

log "cache: ${CLUSTER_CACHE}"
log "versions: etcd ${ETCD_VERSION}, kubernetes ${K8S_VERSION}, kwok ${KWOK_VERSION}"
build_etcd
build_kwok
build_kubernetes
if [[ "${NODE}" == true ]]; then
  build_kubernetes_node
  build_coredns
fi
# Quick sanity check: every binary runs and reports the pinned version.
check_version() { # binary expected args...
  local bin="$1" want="$2" out
  shift 2
  out="$("${bin}" "$@" 2>&1)" || die "${bin} $* failed: ${out}"
  grep -qF -- "${want}" <<<"${out}" || die "${bin} $* reported '${out}', expected it to contain ${want}"
}
check_version "${ETCD_BIN}" "${ETCD_VERSION#v}" --version
check_version "${KUBE_APISERVER_BIN}" "${K8S_VERSION}" --version
check_version "${KUBE_CONTROLLER_MANAGER_BIN}" "${K8S_VERSION}" --version
check_version "${KUBE_SCHEDULER_BIN}" "${K8S_VERSION}" --version
check_version "${KUBECTL_BIN}" "${K8S_VERSION}" version --client
check_version "${KWOK_BIN}" "${KWOK_VERSION#v}" --version
check_version "${KWOKCTL_BIN}" "${KWOK_VERSION#v}" --version
if [[ "${NODE}" == true ]]; then
  check_version "${KUBELET_BIN}" "${K8S_VERSION}" --version
  check_version "${KUBE_PROXY_BIN}" "${K8S_VERSION}" --version
  check_version "${PAUSE_BIN}" "v${PAUSE_VERSION}" -v
  check_version "${COREDNS_BIN}" "${COREDNS_VERSION#v}" -version
fi
log "all binaries ready in $((SECONDS - SCRIPT_START))s (versions verified)"
