# A real Argo CD (application controller + repo server built from the Go module proxy) running as
# local processes against the local control plane: the GitOps test tier. See hack/argocd/README.md.
# Included by the main Makefile; paths are relative to this file's directory.
ARGOCD_SCRIPTS := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))/argocd

.PHONY: argocd-binaries argocd-up argocd-down test-gitops

argocd-binaries: ## Build (or reuse the cached) Argo CD controller and repo server
	@$(ARGOCD_SCRIPTS)/build.sh

argocd-up: cluster-up ## Start Argo CD (controller, repo server, redis) against the local control plane
	@$(ARGOCD_SCRIPTS)/up.sh >/dev/null

argocd-down: ## Stop Argo CD and delete its namespace (build and CRDs are kept)
	@$(ARGOCD_SCRIPTS)/down.sh

# Stopping the control plane stops the Argo CD that runs against it.
cluster-down: argocd-down

test-gitops: argocd-up ## Run the GitOps tier only: the scenarios with the real Argo CD
	KUBECONFIG=$(KUBECONFIG_LOCAL) $(MVN) verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dit.test='GitOps*IT,ArgoCd*IT'
