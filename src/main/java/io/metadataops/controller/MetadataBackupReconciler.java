package io.metadataops.controller;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.metadataops.api.BackupPhase;
import io.metadataops.api.MetadataBackup;
import io.metadataops.api.MetadataBackupStatus;
import java.time.Clock;
import java.util.Optional;

@ControllerConfiguration(name = "metadatabackup")
public class MetadataBackupReconciler implements Reconciler<MetadataBackup> {

  private final ReferenceChecks references;
  private final Clock clock;

  public MetadataBackupReconciler(ReferenceChecks references, Clock clock) {
    this.references = references;
    this.clock = clock;
  }

  @Override
  public UpdateControl<MetadataBackup> reconcile(
      MetadataBackup backup, Context<MetadataBackup> context) {
    String namespace = backup.getMetadata().getNamespace();
    var spec = backup.getSpec();
    Optional<Problem> problem =
        references
            .checkSource(spec.source, namespace, "spec.source")
            .or(() -> references.checkStorage(spec.storage, namespace, "spec.storage"));
    MetadataBackupStatus status =
        backup.getStatus() == null ? new MetadataBackupStatus() : backup.getStatus();
    Validation.record(status, backup.getMetadata().getGeneration(), problem, clock);
    if (status.phase == null) {
      status.phase = BackupPhase.Pending;
    }
    backup.setStatus(status);
    return UpdateControl.patchStatus(backup);
  }
}
