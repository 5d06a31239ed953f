# Local Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler from source + kwok-simulated node). See hack/cluster/README.md.
# Included by the main Makefile; paths are relative to this file's directory.
CLUSTER_SCRIPTS := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))/cluster

.PHONY: cluster-binaries cluster-up cluster-down cluster-env

cluster-binaries: ## Build (or reuse cached) etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, kwok, kwokctl
	@$(CLUSTER_SCRIPTS)/build.sh

cluster-up: ## Start the local control plane (kwok, binary runtime) and print its kubeconfig path
	@$(CLUSTER_SCRIPTS)/up.sh

cluster-down: ## Delete the local control plane (cached binaries are kept)
	@$(CLUSTER_SCRIPTS)/down.sh

cluster-env: ## Print the export KUBECONFIG=... line for the local control plane
	@$(CLUSTER_SCRIPTS)/env.sh
