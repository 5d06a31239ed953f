# The real node of the local control plane (hack/node/README.md) and the images built without a
# container engine (hack/image). Included by the main Makefile; paths are relative to this file.
NODE_SCRIPTS := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))/node
IMAGE_SCRIPTS := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))/image

.PHONY: node-up node-down images

node-up: cluster-up ## Start the real node (kubelet + containerd + kube-proxy + CoreDNS) next to the KWOK one (root)
	@$(NODE_SCRIPTS)/up.sh >/dev/null

node-down: ## Stop the real node and remove everything it left on this machine (binaries and images stay cached)
	@$(NODE_SCRIPTS)/down.sh

images: build ## Build every image of the real node without a container engine (operator, stand-in server, MySQL 8, PostgreSQL 15, MariaDB) and load them into it
	@$(IMAGE_SCRIPTS)/images.sh all
