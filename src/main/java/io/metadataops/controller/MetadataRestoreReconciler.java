package io.metadataops.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.metadataops.api.BackupPhase;
import io.metadataops.api.MetadataBackup;
import io.metadataops.api.MetadataRestore;
import io.metadataops.api.MetadataRestoreStatus;
import java.time.Clock;
import java.util.Optional;

@ControllerConfiguration(name = "metadatarestore")
public class MetadataRestoreReconciler implements Reconciler<MetadataRestore> {

  private final KubernetesClient client;
  private final ReferenceChecks references;
  private final Clock clock;

  public MetadataRestoreReconciler(
      KubernetesClient client, ReferenceChecks references, Clock clock) {
    this.client = client;
    this.references = references;
    this.clock = clock;
  }

  @Override
  public UpdateControl<MetadataRestore> reconcile(
      MetadataRestore restore, Context<MetadataRestore> context) {
    String namespace = restore.getMetadata().getNamespace();
    var spec = restore.getSpec();
    Optional<Problem> problem =
        checkBackup(spec.backupName, namespace)
            .or(() -> references.checkSource(spec.target, namespace, "spec.target"))
            .or(
                () ->
                    spec.location == null
                        ? Optional.empty()
                        : references.checkStorage(
                            spec.location.storage, namespace, "spec.location.storage"));
    MetadataRestoreStatus status =
        restore.getStatus() == null ? new MetadataRestoreStatus() : restore.getStatus();
    Validation.record(status, restore.getMetadata().getGeneration(), problem, clock);
    if (status.phase == null) {
      status.phase = BackupPhase.Pending;
    }
    restore.setStatus(status);
    return UpdateControl.patchStatus(restore);
  }

  private Optional<Problem> checkBackup(String backupName, String namespace) {
    if (backupName == null) {
      return Optional.empty();
    }
    MetadataBackup backup =
        client.resources(MetadataBackup.class).inNamespace(namespace).withName(backupName).get();
    if (backup == null) {
      return Optional.of(
          new Problem(
              "BackupNotFound",
              "MetadataBackup %s/%s not found: fix spec.backupName"
                  .formatted(namespace, backupName)));
    }
    if (backup.getStatus() == null || backup.getStatus().phase != BackupPhase.Succeeded) {
      return Optional.of(
          new Problem(
              "BackupNotSucceeded",
              "MetadataBackup %s/%s has not succeeded (phase %s): only a succeeded backup can be"
                      .formatted(
                          namespace,
                          backupName,
                          backup.getStatus() == null ? "Pending" : backup.getStatus().phase)
                  + " restored"));
    }
    return Optional.empty();
  }
}
