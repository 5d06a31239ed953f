package io.metadataops.upgrade;

import java.util.List;
import java.util.Optional;

/**
 * What the controller read from the cluster before asking the planner.
 *
 * @param server the server Deployment, empty when it does not exist
 * @param ingestionImage the image of the ingestion Deployment named in the spec, if it exists
 * @param conflictingUpgrade another unfinished {@code MetadataUpgrade} of the same server
 *     Deployment
 * @param inspection the read-only database inspection run during validation
 * @param databaseSchemaVersion what a successful inspection found (empty: no SERVER_CHANGE_LOG)
 * @param preFlight the verified backup of the serving database
 * @param rehearsal the Jobs of the rehearsal on a scratch copy
 * @param migrationCheck the inspection of the change log after the migration Job exited 0
 * @param versionProbe the version endpoint's answer, when {@link UpgradePlanner#expectedVersion}
 *     asked for one
 * @param failedUpgrade the {@code from->to} pair whose migration failed last on this server, as its
 *     image gate records it (read during validation only)
 */
public record UpgradeObservations(
    Optional<ServerDeployment> server,
    Optional<String> ingestionImage,
    Optional<String> conflictingUpgrade,
    ChildStatus inspection,
    Optional<String> databaseSchemaVersion,
    ChildStatus preFlight,
    RehearsalObservations rehearsal,
    ChildStatus backup,
    ChildStatus migration,
    MigrationCheck migrationCheck,
    ChildStatus restore,
    VersionProbe versionProbe,
    Optional<String> failedUpgrade) {

  /** Every component is required: {@code List.of} refuses a null one. */
  public UpgradeObservations {
    List.of(
        server,
        ingestionImage,
        conflictingUpgrade,
        inspection,
        databaseSchemaVersion,
        preFlight,
        rehearsal,
        backup,
        migration,
        migrationCheck,
        restore,
        versionProbe,
        failedUpgrade);
  }
}
