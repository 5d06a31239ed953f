package io.metadataops.upgrade;

import java.util.Objects;
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
 * @param versionProbe the version endpoint's answer, when {@link UpgradePlanner#expectedVersion}
 *     asked for one
 */
public record UpgradeObservations(
    Optional<ServerDeployment> server,
    Optional<String> ingestionImage,
    Optional<String> conflictingUpgrade,
    ChildStatus inspection,
    Optional<String> databaseSchemaVersion,
    ChildStatus preFlight,
    ChildStatus backup,
    ChildStatus migration,
    ChildStatus restore,
    VersionProbe versionProbe) {

  public UpgradeObservations {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(ingestionImage, "ingestionImage");
    Objects.requireNonNull(conflictingUpgrade, "conflictingUpgrade");
    Objects.requireNonNull(inspection, "inspection");
    Objects.requireNonNull(databaseSchemaVersion, "databaseSchemaVersion");
    Objects.requireNonNull(preFlight, "preFlight");
    Objects.requireNonNull(backup, "backup");
    Objects.requireNonNull(migration, "migration");
    Objects.requireNonNull(restore, "restore");
    Objects.requireNonNull(versionProbe, "versionProbe");
  }
}
