package io.metadataops.controller;

import static io.metadataops.controller.Conditions.FALSE;
import static io.metadataops.controller.Conditions.READY;
import static io.metadataops.controller.Conditions.STALLED;
import static io.metadataops.controller.Conditions.TRUE;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.metadataops.api.BackupPhase;
import io.metadataops.api.MetadataBackup;
import io.metadataops.api.MetadataBackupSchedule;
import io.metadataops.api.MetadataBackupScheduleStatus;
import io.metadataops.k8s.EngineJob;
import io.metadataops.k8s.EventRecorder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Creates a MetadataBackup each time the cron schedule comes due, never two at once for the same
 * database, and prunes old backups by the retention rules (their dumps go with them when their
 * deletionPolicy says Delete).
 */
@ControllerConfiguration(
    name = "metadatabackupschedule",
    informer = @Informer(itemStore = PrunedItemStore.class))
public class MetadataBackupScheduleReconciler implements Reconciler<MetadataBackupSchedule> {

  static final String LABEL_SCHEDULE = "metadataops.io/schedule";
  private static final DateTimeFormatter NAME_TIME =
      DateTimeFormatter.ofPattern("yyyyMMddHHmm").withZone(ZoneOffset.UTC);
  private static final Duration MIN_RECHECK = Duration.ofSeconds(1);

  private final KubernetesClient client;
  private final EventRecorder events;
  private final Clock clock;

  public MetadataBackupScheduleReconciler(
      KubernetesClient client, EventRecorder events, Clock clock) {
    this.client = client;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, MetadataBackupSchedule>> prepareEventSources(
      EventSourceContext<MetadataBackupSchedule> context) {
    InformerEventSource<MetadataBackup, MetadataBackupSchedule> backups =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(
                    MetadataBackup.class, MetadataBackupSchedule.class)
                .withLabelSelector(LABEL_SCHEDULE)
                .withItemStore(new PrunedItemStore<>())
                .withSecondaryToPrimaryMapper(
                    Mappers.fromOwnerReferences(MetadataBackupSchedule.class))
                .build(),
            context);
    return List.of(backups);
  }

  @Override
  public UpdateControl<MetadataBackupSchedule> reconcile(
      MetadataBackupSchedule schedule, Context<MetadataBackupSchedule> context) {
    MetadataBackupScheduleStatus status =
        schedule.getStatus() == null ? new MetadataBackupScheduleStatus() : schedule.getStatus();
    schedule.setStatus(status);
    long generation = schedule.getMetadata().getGeneration();
    status.observedGeneration = generation;
    Conditions.Writer conditions = Conditions.writer(status, generation, clock);
    BackupScheduling.Schedule cron;
    try {
      cron = BackupScheduling.parse(schedule.getSpec().schedule, schedule.getSpec().timeZone);
    } catch (BackupScheduling.InvalidSchedule e) {
      conditions
          .set(STALLED, TRUE, "InvalidSchedule", e.getMessage())
          .set(READY, FALSE, "InvalidSchedule", e.getMessage());
      status.message = e.getMessage();
      return UpdateControl.patchStatus(schedule);
    }
    Instant now = Instant.now(clock);
    List<MetadataBackup> owned = List.copyOf(context.getSecondaryResources(MetadataBackup.class));
    recordHistory(status, owned);
    prune(schedule, owned, now);

    Instant since =
        Optional.ofNullable(status.lastScheduleTime)
            .map(Instant::parse)
            .orElse(Instant.parse(schedule.getMetadata().getCreationTimestamp()));
    Optional<Instant> due = cron.dueSince(since, now);
    if (due.isPresent() && !schedule.getSpec().suspend) {
      status.lastScheduleTime = due.get().toString();
      startBackup(schedule, due.get());
    }
    Optional<Instant> next = cron.nextAfter(now);
    status.nextScheduleTime = next.map(Instant::toString).orElse(null);
    String message =
        schedule.getSpec().suspend
            ? "suspended: no new backups"
            : "next backup at " + next.map(Instant::toString).orElse("never");
    status.message = message;
    String reason = schedule.getSpec().suspend ? "Suspended" : "Scheduled";
    conditions.set(STALLED, FALSE, reason, message).set(READY, TRUE, reason, message);
    Duration wait =
        next.map(n -> Duration.between(now, n))
            .filter(d -> d.compareTo(MIN_RECHECK) > 0)
            .orElse(MIN_RECHECK);
    return UpdateControl.patchStatus(schedule).rescheduleAfter(wait);
  }

  private void startBackup(MetadataBackupSchedule schedule, Instant due) {
    String namespace = schedule.getMetadata().getNamespace();
    Optional<MetadataBackup> running =
        client.resources(MetadataBackup.class).inNamespace(namespace).list().getItems().stream()
            .filter(b -> b.getStatus() == null || !b.getStatus().isFinished())
            .filter(
                b ->
                    BackupScheduling.sameDatabase(
                        b.getSpec().source, schedule.getSpec().backupTemplate.source))
            .findFirst();
    if (running.isPresent()) {
      events.warning(
          schedule,
          "BackupSkipped",
          "backup due at %s skipped: MetadataBackup %s of the same database is still running"
              .formatted(due, running.get().getMetadata().getName()));
      return;
    }
    MetadataBackup backup = new MetadataBackup();
    backup.getMetadata().setName(schedule.getMetadata().getName() + "-" + NAME_TIME.format(due));
    backup.getMetadata().setNamespace(namespace);
    backup.getMetadata().setLabels(Map.of(LABEL_SCHEDULE, schedule.getMetadata().getName()));
    backup.getMetadata().setOwnerReferences(List.of(EngineJob.ownerReference(schedule)));
    backup.setSpec(schedule.getSpec().backupTemplate);
    try {
      client.resource(backup).create();
      events.normal(
          schedule, "BackupCreated", "created MetadataBackup " + backup.getMetadata().getName());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  private void recordHistory(MetadataBackupScheduleStatus status, List<MetadataBackup> owned) {
    status.active =
        owned.stream()
            .filter(b -> b.getStatus() == null || !b.getStatus().isFinished())
            .map(b -> b.getMetadata().getName())
            .sorted()
            .toList();
    owned.stream()
        .filter(b -> b.getStatus() != null && b.getStatus().phase == BackupPhase.Succeeded)
        .max(Comparator.comparing(b -> b.getMetadata().getCreationTimestamp()))
        .ifPresent(
            newest -> {
              status.lastSuccessfulBackup = newest.getMetadata().getName();
              status.lastSuccessfulTime = newest.getStatus().completionTime;
            });
  }

  private void prune(MetadataBackupSchedule schedule, List<MetadataBackup> owned, Instant now) {
    List<BackupScheduling.Kept> kept =
        owned.stream()
            .map(
                b ->
                    new BackupScheduling.Kept(
                        b.getMetadata().getName(),
                        Instant.parse(b.getMetadata().getCreationTimestamp()),
                        b.getStatus() != null && b.getStatus().isFinished(),
                        b.getStatus() != null && b.getStatus().phase == BackupPhase.Succeeded))
            .toList();
    for (String name : BackupScheduling.toPrune(kept, schedule.getSpec().retention, now)) {
      client
          .resources(MetadataBackup.class)
          .inNamespace(schedule.getMetadata().getNamespace())
          .withName(name)
          .delete();
      events.normal(
          schedule, "BackupPruned", "deleted MetadataBackup %s (retention)".formatted(name));
    }
  }
}
