package io.metadataops.controller.upgrade;

import io.metadataops.api.MetadataUpgrade;
import io.metadataops.k8s.KubernetesNames;
import io.metadataops.upgrade.UpgradeAction.ServerImageJob;

/**
 * The names of the objects one attempt of an upgrade creates: the upgrade's name plus the attempt,
 * so a restarted operator finds what it created before instead of creating it twice.
 */
public record UpgradeChildren(
    String inspection,
    String preFlight,
    String rehearsalRestore,
    String rehearsalMigration,
    String rehearsalDrop,
    String backup,
    String migration,
    String migrationCheck,
    String restore,
    String reindex) {

  public static UpgradeChildren of(MetadataUpgrade upgrade, long attempt) {
    String base = upgrade.getMetadata().getName();
    return new UpgradeChildren(
        KubernetesNames.child(base, "inspect-" + attempt),
        KubernetesNames.child(base, "preflight-" + attempt),
        KubernetesNames.child(base, "rehearse-restore-" + attempt),
        KubernetesNames.child(base, "rehearse-migrate-" + attempt),
        KubernetesNames.child(base, "rehearse-drop-" + attempt),
        KubernetesNames.child(base, "backup-" + attempt),
        KubernetesNames.child(base, "migrate-" + attempt),
        KubernetesNames.child(base, "check-" + attempt),
        KubernetesNames.child(base, "restore-" + attempt),
        KubernetesNames.child(base, "reindex-" + attempt));
  }

  /** The name of the server-image Job {@code job}. */
  public String serverImageJob(ServerImageJob job) {
    return switch (job) {
      case REHEARSAL -> rehearsalMigration;
      case MIGRATION -> migration;
      case REINDEX -> reindex;
    };
  }
}
