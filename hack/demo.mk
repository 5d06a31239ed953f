# The end-to-end demo (hack/demo/demo.sh, docs/demo.md). Included from the top-level Makefile.
.PHONY: demo demo-rollback demo-local demo-local-rollback

demo: ## Upgrade a stand-in OpenMetadata 1.4.8 -> 1.5.2 with every pod real (the real node, root): backup, approval, migration, rollout, verification
	hack/demo/demo-node.sh

demo-rollback: ## The same upgrade with a migration that fails halfway: automatic rollback, backup restored
	hack/demo/demo-node.sh --rollback

demo-local: ## The demo without the real node: KWOK node, Jobs run by a local runner, the local MariaDB
	hack/demo/demo.sh

demo-local-rollback: ## demo-local with a failing migration
	hack/demo/demo.sh --rollback
