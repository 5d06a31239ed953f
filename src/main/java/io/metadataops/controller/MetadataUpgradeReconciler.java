package io.metadataops.controller;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.metadataops.api.MetadataUpgrade;
import io.metadataops.api.MetadataUpgradeStatus;
import java.time.Clock;
import java.util.Optional;

@ControllerConfiguration(name = "metadataupgrade")
public class MetadataUpgradeReconciler implements Reconciler<MetadataUpgrade> {

  private final ReferenceChecks references;
  private final Clock clock;

  public MetadataUpgradeReconciler(ReferenceChecks references, Clock clock) {
    this.references = references;
    this.clock = clock;
  }

  @Override
  public UpdateControl<MetadataUpgrade> reconcile(
      MetadataUpgrade upgrade, Context<MetadataUpgrade> context) {
    String namespace = upgrade.getMetadata().getNamespace();
    var spec = upgrade.getSpec();
    Optional<Problem> problem =
        references
            .checkServer(spec.server, namespace, "spec.server")
            .or(
                () ->
                    spec.backup.storage == null
                        ? Optional.empty()
                        : references.checkStorage(
                            spec.backup.storage, namespace, "spec.backup.storage"));
    MetadataUpgradeStatus status =
        upgrade.getStatus() == null ? new MetadataUpgradeStatus() : upgrade.getStatus();
    Validation.record(status, upgrade.getMetadata().getGeneration(), problem, clock);
    if (status.phase == null) {
      status.phase = "Pending";
    }
    status.toVersion = spec.targetVersion;
    upgrade.setStatus(status);
    return UpdateControl.patchStatus(upgrade);
  }
}
