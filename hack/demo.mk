# The end-to-end demo (hack/demo/demo.sh, docs/demo.md). Included from the top-level Makefile.
.PHONY: demo demo-rollback

demo: ## Upgrade a stand-in OpenMetadata 1.4.8 -> 1.5.2 on the local cluster and a real MariaDB: backup, migrate, verify
	hack/demo/demo.sh

demo-rollback: ## The same upgrade with a migration that fails halfway: automatic rollback, backup restored
	hack/demo/demo.sh --rollback
