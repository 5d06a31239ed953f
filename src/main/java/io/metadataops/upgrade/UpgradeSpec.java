package io.metadataops.upgrade;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the {@code MetadataUpgrade} spec asks for, as the planner needs it.
 *
 * @param generation {@code metadata.generation}; a newer one restarts a finished attempt
 * @param targetVersion {@code spec.targetVersion}, e.g. {@code 1.10.1}
 * @param targetImage an explicit server image; by default the running image with the new tag
 * @param approvedChanges ids of breaking changes a person has dealt with
 * @param backupEnabled false only together with {@code backupDisabledAcknowledged}
 * @param preFlightEnabled false only together with {@code preFlightDisabledAcknowledged}
 * @param rehearsalEnabled rehearse the migration on a scratch copy (needs the pre-flight)
 * @param alignIngestion true when the spec names ingestion Deployments to move along
 * @param migrationCommand an override of the migration command; empty for the default
 * @param manager who applies the MetadataUpgrade itself (a GitOps tool, or nobody)
 * @param retryFailedUpgrade the {@code from->to} pair a person allows to run again after it failed
 * @param serverName the server Deployment's name, for the commands messages give a person
 * @param checksSearch true when the spec names the search engine's workload, whose image tag the
 *     pre-flight checks against the target's requirements
 * @param reindex when to rebuild the search indexes after the upgrade
 * @param ingestionImage the spec's full target ingestion image; by default the current one's
 *     repository with the tag that pairs with the target
 * @param ingestionTags the form of the default ingestion tag
 * @param ingestionSecret the Secret holding the Kubernetes orchestrator's {@code
 *     K8S_INGESTION_IMAGE}, which a person must set: the operator cannot edit Secrets
 */
public record UpgradeSpec(
    long generation,
    String targetVersion,
    Optional<String> targetImage,
    Set<String> approvedChanges,
    boolean backupEnabled,
    boolean backupDisabledAcknowledged,
    boolean preFlightEnabled,
    boolean preFlightDisabledAcknowledged,
    boolean rehearsalEnabled,
    boolean rollbackEnabled,
    boolean paused,
    boolean dryRun,
    boolean alignIngestion,
    Optional<List<String>> migrationCommand,
    StepTimeouts timeouts,
    Manager manager,
    Optional<String> retryFailedUpgrade,
    String serverName,
    boolean checksSearch,
    ReindexPolicy reindex,
    Optional<String> ingestionImage,
    IngestionImages.TagForm ingestionTags,
    Optional<String> ingestionSecret) {

  public UpgradeSpec {
    Objects.requireNonNull(targetVersion, "targetVersion");
    Objects.requireNonNull(targetImage, "targetImage");
    approvedChanges = Set.copyOf(approvedChanges);
    Objects.requireNonNull(migrationCommand, "migrationCommand");
    Objects.requireNonNull(timeouts, "timeouts");
    Objects.requireNonNull(manager, "manager");
    Objects.requireNonNull(retryFailedUpgrade, "retryFailedUpgrade");
    Objects.requireNonNull(serverName, "serverName");
    Objects.requireNonNull(reindex, "reindex");
    Objects.requireNonNull(ingestionImage, "ingestionImage");
    Objects.requireNonNull(ingestionTags, "ingestionTags");
    Objects.requireNonNull(ingestionSecret, "ingestionSecret");
  }

  /** {@code spec.reindex}. */
  public enum ReindexPolicy {
    /** When a crossed breaking change needs it (the catalogue says so); off otherwise. */
    AUTO,
    ALWAYS,
    NEVER
  }
}
