# OpenMetadata upgrade operator. `make help` lists the targets.
SHELL := /bin/bash
MVN := ./mvnw -B -ntp
KUBECONFIG_LOCAL := $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/metadataops/cluster/kubeconfig

.DEFAULT_GOAL := help
.PHONY: help build test test-unit test-k3s manifests run bench bench-operator clean format image

help: ## List the targets
	@grep -hE '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | sort | \
	  awk 'BEGIN {FS = ":.*## "}; {printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2}'

build: ## Compile, format-check and package the operator (target/quarkus-app)
	$(MVN) package -DskipTests

test: cluster-up node-up db-up argocd-up ## Run every test tier: unit, database (MariaDB, MySQL 8, PostgreSQL), cluster (real API server), end-to-end on the real node, GitOps (real Argo CD), k3s (skipped without Docker)
	KUBECONFIG=$(KUBECONFIG_LOCAL) $(MVN) verify

test-unit: ## Run the unit tier only (no database, no cluster)
	$(MVN) verify -Dtest.groups=unit -Dsurefire.failIfNoSpecifiedTests=false

test-k3s: ## Run the k3s tier only: the end-to-end scenarios on k3s in a container (needs a Docker engine)
	@if [ -z "$${DOCKER_HOST:-}" ] && ! docker info >/dev/null 2>&1; then \
	  echo "make test-k3s: no Docker engine here (docker info fails and DOCKER_HOST is unset)." >&2; \
	  echo "It needs one, and network access to pull rancher/k3s, mysql, postgres and the JDK base image." >&2; exit 1; fi
	$(MVN) verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=K3sEndToEndIT

manifests: ## Regenerate deploy/crds, deploy/olm and the API reference docs/api.md from the code
	$(MVN) package -DskipTests
	$(MVN) -q exec:java -Dexec.mainClass=io.metadataops.manifests.DeployManifests \
	  -Dexec.classpathScope=test -Dexec.args="$(CURDIR)"

run: build ## Run the operator against the current kubeconfig (install deploy/crds first)
	java -jar target/quarkus-app/quarkus-run.jar

IMAGE ?= ghcr.io/metadataops/metadata-operator:0.1.0

image: build ## Build the operator image (IMAGE=...) without a container engine: target/image/operator.tar (docker-archive), loaded into the real node when it runs
	OPERATOR_IMAGE=$(IMAGE) hack/image/images.sh --output target/image operator

format: ## Format the Java sources (google-java-format through Spotless)
	$(MVN) spotless:apply

bench: bench-backup bench-operator ## Run every benchmark

bench-operator: build cluster-up ## Operator scale benchmark: start time, apply-to-Job latency, 200-backup burst, RSS with 1000 CRs
	KUBECONFIG=$(KUBECONFIG_LOCAL) $(MVN) -q test-compile exec:java -Dexec.mainClass=io.metadataops.bench.OperatorBenchmark \
	  -Dexec.classpathScope=test

clean: ## Remove build output (cached cluster binaries and databases are kept)
	$(MVN) -q clean

-include hack/cluster.mk
-include hack/db.mk
-include hack/demo.mk
-include hack/node.mk
-include hack/argocd.mk
