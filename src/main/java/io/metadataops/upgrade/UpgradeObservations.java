package io.metadataops.upgrade;

import java.util.List;
import java.util.Optional;

/**
 * What the controller read from the cluster before asking the planner.
 *
 * @param server the server Deployment, empty when it does not exist
 * @param ingestion the ingestion Deployments named in the spec, in its order
 * @param conflictingUpgrade another unfinished {@code MetadataUpgrade} of the same server
 *     Deployment
 * @param inspection the read-only database inspection run during validation
 * @param databaseSchemaVersion what a successful inspection found (empty: no SERVER_CHANGE_LOG)
 * @param databaseServer the database server a successful inspection reached
 * @param searchImage the image of the search engine's workload named in the spec, if it exists
 * @param preFlight the verified backup of the serving database
 * @param rehearsal the Jobs of the rehearsal on a scratch copy
 * @param migrationCheck the inspection of the change log after the migration Job exited 0
 * @param reindex the Job that rebuilds the search indexes after the upgrade or its rollback
 * @param versionProbe the version endpoint's answer, when {@link UpgradePlanner#expectedVersion}
 *     asked for one
 * @param failedUpgrade the {@code from->to} pair whose migration failed last on this server, as its
 *     image gate records it (read during validation only)
 */
public record UpgradeObservations(
    Optional<ServerDeployment> server,
    List<IngestionWorkload> ingestion,
    Optional<String> conflictingUpgrade,
    ChildStatus inspection,
    Optional<String> databaseSchemaVersion,
    Optional<DatabaseServer> databaseServer,
    Optional<String> searchImage,
    ChildStatus preFlight,
    RehearsalObservations rehearsal,
    ChildStatus backup,
    ChildStatus migration,
    MigrationCheck migrationCheck,
    ChildStatus restore,
    ChildStatus reindex,
    VersionProbe versionProbe,
    Optional<String> failedUpgrade) {

  /** Every component is required: {@code List.of} refuses a null one. */
  public UpgradeObservations {
    ingestion = List.copyOf(ingestion);
    List.of(
        server,
        ingestion,
        conflictingUpgrade,
        inspection,
        databaseSchemaVersion,
        databaseServer,
        searchImage,
        preFlight,
        rehearsal,
        backup,
        migration,
        migrationCheck,
        restore,
        reindex,
        versionProbe,
        failedUpgrade);
  }
}
