package io.metadataops.controller.upgrade;

import io.metadataops.api.IngestionDeployment;
import io.metadataops.api.IngestionSpec;
import io.metadataops.api.MetadataUpgrade;
import io.metadataops.api.MetadataUpgradeSpec;
import io.metadataops.api.MigrationSpec;
import io.metadataops.api.PreFlightSpec;
import io.metadataops.api.RehearsalSpec;
import io.metadataops.api.RolloutSpec;
import io.metadataops.api.UpgradeBackup;
import io.metadataops.api.VerificationSpec;
import io.metadataops.k8s.KubernetesNames;
import io.metadataops.upgrade.IngestionImages;
import io.metadataops.upgrade.StepTimeouts;
import io.metadataops.upgrade.UpgradeSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Reads the planner's {@link UpgradeSpec} from a {@code MetadataUpgrade}. Pure. */
public final class UpgradeSpecs {

  /** Pauses like {@code spec.paused}, without a new generation. */
  public static final String PAUSED_ANNOTATION = "metadataops.io/paused";

  /** Lets a {@code from->to} pair that failed on this server run again. */
  public static final String RETRY_FAILED_UPGRADE_ANNOTATION =
      "metadataops.io/retry-failed-upgrade";

  private UpgradeSpecs() {}

  public static UpgradeSpec of(MetadataUpgrade upgrade) {
    MetadataUpgradeSpec spec = upgrade.getSpec();
    UpgradeBackup backup = spec.backup;
    PreFlightSpec preFlight = preFlight(spec);
    MigrationSpec migration = migration(spec);
    RolloutSpec rollout = Objects.requireNonNullElseGet(spec.rollout, RolloutSpec::new);
    VerificationSpec verification = verification(spec);
    return new UpgradeSpec(
        upgrade.getMetadata().getGeneration(),
        spec.targetVersion,
        Optional.ofNullable(spec.image),
        Set.copyOf(Objects.requireNonNullElse(spec.approvedChanges, List.of())),
        backup.enabled,
        UpgradeBackup.NO_BACKUP_ACKNOWLEDGEMENT.equals(backup.disabledAcknowledgement),
        preFlight.enabled,
        PreFlightSpec.NO_PRE_FLIGHT_ACKNOWLEDGEMENT.equals(preFlight.disabledAcknowledgement),
        rehearsal(spec).enabled,
        spec.rollbackOnFailure,
        paused(upgrade),
        spec.dryRun,
        !ingestionDeployments(spec).isEmpty(),
        Optional.ofNullable(migration.command),
        new StepTimeouts(
            Duration.ofSeconds(migration.timeoutSeconds),
            Duration.ofSeconds(rollout.timeoutSeconds),
            Duration.ofSeconds(verification.timeoutSeconds)),
        Managers.of(upgrade),
        Optional.ofNullable(annotation(upgrade, RETRY_FAILED_UPGRADE_ANNOTATION)),
        spec.server.deploymentName,
        spec.search != null,
        UpgradeSpec.ReindexPolicy.valueOf(
            Objects.requireNonNullElse(spec.reindex, MetadataUpgradeSpec.Reindex.Auto)
                .name()
                .toUpperCase(Locale.ROOT)),
        Optional.ofNullable(spec.ingestion).map(i -> i.image),
        spec.ingestion != null && spec.ingestion.tagForm == IngestionSpec.TagForm.FourPart
            ? IngestionImages.TagForm.FOUR_PART
            : IngestionImages.TagForm.AUTO,
        Optional.ofNullable(spec.ingestion).map(i -> i.orchestratorSecret));
  }

  private static String annotation(MetadataUpgrade upgrade, String name) {
    Map<String, String> annotations = upgrade.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(name);
  }

  /**
   * The ingestion Deployments to align, {@code deploymentName} first, each with its container (its
   * own, else the spec's shared one, else null: the first).
   */
  static List<IngestionDeployment> ingestionDeployments(MetadataUpgradeSpec spec) {
    List<IngestionDeployment> all = new ArrayList<>();
    if (spec.ingestion == null) {
      return all;
    }
    if (spec.ingestion.deploymentName != null) {
      IngestionDeployment single = new IngestionDeployment();
      single.name = spec.ingestion.deploymentName;
      all.add(single);
    }
    all.addAll(Objects.requireNonNullElse(spec.ingestion.deployments, List.of()));
    return all.stream()
        .map(
            d -> {
              IngestionDeployment resolved = new IngestionDeployment();
              resolved.name = d.name;
              resolved.containerName =
                  d.containerName != null ? d.containerName : spec.ingestion.containerName;
              return resolved;
            })
        .toList();
  }

  public static boolean paused(MetadataUpgrade upgrade) {
    Map<String, String> annotations = upgrade.getMetadata().getAnnotations();
    return upgrade.getSpec().paused
        || (annotations != null && "true".equals(annotations.get(PAUSED_ANNOTATION)));
  }

  static PreFlightSpec preFlight(MetadataUpgradeSpec spec) {
    return Objects.requireNonNullElseGet(spec.preFlight, PreFlightSpec::new);
  }

  static RehearsalSpec rehearsal(MetadataUpgradeSpec spec) {
    return Objects.requireNonNullElseGet(spec.rehearsal, RehearsalSpec::new);
  }

  /** The rehearsal's scratch database: the spec's, else one named after the upgrade's uid. */
  static String rehearsalScratch(MetadataUpgrade upgrade) {
    String given = rehearsal(upgrade.getSpec()).scratchDatabase;
    return given != null && !given.isBlank()
        ? given
        : KubernetesNames.scratchDatabase("mdrehearse_", upgrade);
  }

  static MigrationSpec migration(MetadataUpgradeSpec spec) {
    return Objects.requireNonNullElseGet(spec.migration, MigrationSpec::new);
  }

  static VerificationSpec verification(MetadataUpgradeSpec spec) {
    return Objects.requireNonNullElseGet(spec.verification, VerificationSpec::new);
  }
}
