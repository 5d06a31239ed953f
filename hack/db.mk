# Backup engine: local database servers, engine tests and the benchmark.
# Included from the top-level Makefile (include hack/db.mk) or run as make -f hack/db.mk <target>.

.PHONY: db-up db-down test-engine bench-backup

db-up: ## Start local MariaDB (3306), MySQL 8.0.31 (3307) and PostgreSQL 15 (5432) on 127.0.0.1
	hack/db/up.sh

db-down: ## Stop the local database servers started by db-up
	hack/db/down.sh

test-engine: ## Run the backup engine's unit and database tests against the local servers
	./mvnw -q test -Dtest='io.metadataops.backup.**'

bench-backup: ## Benchmark engine backup/restore vs mysqldump/mysql and pg_dump/psql (1 GB and 2 GB)
	hack/db/bench-backup.sh
