package io.metadataops.controller.schedule;

import static io.metadataops.conditions.ConditionStatus.FALSE;
import static io.metadataops.conditions.ConditionStatus.TRUE;
import static io.metadataops.conditions.ConditionTypes.READY;
import static io.metadataops.conditions.ConditionTypes.STALLED;

import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.metadataops.api.BackupPhase;
import io.metadataops.api.MetadataBackup;
import io.metadataops.api.MetadataBackupSchedule;
import io.metadataops.api.MetadataBackupScheduleStatus;
import io.metadataops.controller.Conditions;
import io.metadataops.controller.ControllerSupport;
import io.metadataops.controller.PrunedItemStore;
import io.metadataops.controller.SecondaryResources;
import io.metadataops.controller.StatusUpdates;
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

  public static final String LABEL_SCHEDULE = "metadataops.io/schedule";
  private static final DateTimeFormatter NAME_TIME =
      DateTimeFormatter.ofPattern("yyyyMMddHHmm").withZone(ZoneOffset.UTC);
  private static final Duration MIN_RECHECK = Duration.ofSeconds(1);

  private final ControllerSupport support;

  public MetadataBackupScheduleReconciler(ControllerSupport support) {
    this.support = support;
  }

  @Override
  public List<EventSource<?, MetadataBackupSchedule>> prepareEventSources(
      EventSourceContext<MetadataBackupSchedule> context) {
    return List.of(
        SecondaryResources.informer(
            context, MetadataBackup.class, MetadataBackupSchedule.class, LABEL_SCHEDULE));
  }

  @Override
  public UpdateControl<MetadataBackupSchedule> reconcile(
      MetadataBackupSchedule schedule, Context<MetadataBackupSchedule> context) {
    String before = StatusUpdates.begin(schedule, MetadataBackupScheduleStatus::new);
    MetadataBackupScheduleStatus status = schedule.getStatus();
    status.observedGeneration = schedule.getMetadata().getGeneration();
    BackupScheduling.Schedule cron;
    try {
      cron = BackupScheduling.parse(schedule.getSpec().schedule, schedule.getSpec().timeZone);
    } catch (BackupScheduling.InvalidSchedule e) {
      conditions(schedule).set(STALLED, TRUE, "InvalidSchedule", e.getMessage());
      conditions(schedule).set(READY, FALSE, "InvalidSchedule", e.getMessage());
      status.message = e.getMessage();
      return StatusUpdates.patchIfChanged(schedule, before);
    }
    Instant now = Instant.now(support.clock());
    List<MetadataBackup> owned = List.copyOf(context.getSecondaryResources(MetadataBackup.class));
    recordHistory(status, owned);
    prune(schedule, owned, now);
    cron.dueSince(lastScheduled(schedule), now)
        .filter(due -> !schedule.getSpec().suspend)
        .ifPresent(due -> startBackup(schedule, due));
    Optional<Instant> next = cron.nextAfter(now);
    recordNext(schedule, next);
    Duration wait =
        next.map(n -> Duration.between(now, n))
            .filter(d -> d.compareTo(MIN_RECHECK) > 0)
            .orElse(MIN_RECHECK);
    return StatusUpdates.patchIfChanged(schedule, before).rescheduleAfter(wait);
  }

  @Override
  public ErrorStatusUpdateControl<MetadataBackupSchedule> updateErrorStatus(
      MetadataBackupSchedule schedule, Context<MetadataBackupSchedule> context, Exception e) {
    return StatusUpdates.recordError(
        schedule, MetadataBackupScheduleStatus::new, e, support.clock());
  }

  private Conditions.Writer conditions(MetadataBackupSchedule schedule) {
    return Conditions.writer(
        schedule.getStatus(), schedule.getMetadata().getGeneration(), support.clock());
  }

  private static Instant lastScheduled(MetadataBackupSchedule schedule) {
    return Optional.ofNullable(schedule.getStatus().lastScheduleTime)
        .map(Instant::parse)
        .orElse(Instant.parse(schedule.getMetadata().getCreationTimestamp()));
  }

  private void recordNext(MetadataBackupSchedule schedule, Optional<Instant> next) {
    MetadataBackupScheduleStatus status = schedule.getStatus();
    boolean suspended = schedule.getSpec().suspend;
    status.nextScheduleTime = next.map(Instant::toString).orElse(null);
    status.message =
        suspended
            ? "suspended: no new backups"
            : "next backup at " + next.map(Instant::toString).orElse("never");
    String reason = suspended ? "Suspended" : "Scheduled";
    conditions(schedule)
        .set(STALLED, FALSE, reason, status.message)
        .set(READY, TRUE, reason, status.message);
  }

  /**
   * Creates the backup due at {@code due} unless one of the same database still runs. The running
   * ones are listed from the API, not a cache: this is a mutual exclusion, checked once per due
   * time, and a backup created a moment ago must count.
   */
  private void startBackup(MetadataBackupSchedule schedule, Instant due) {
    schedule.getStatus().lastScheduleTime = due.toString();
    String namespace = schedule.getMetadata().getNamespace();
    Optional<MetadataBackup> running =
        support
            .client()
            .resources(MetadataBackup.class)
            .inNamespace(namespace)
            .list()
            .getItems()
            .stream()
            .filter(b -> b.getStatus() == null || !b.getStatus().isFinished())
            .filter(
                b ->
                    BackupScheduling.sameDatabase(
                        b.getSpec().source, schedule.getSpec().backupTemplate.source))
            .findFirst();
    if (running.isPresent()) {
      support
          .events()
          .warning(
              schedule,
              "BackupSkipped",
              "backup due at %s skipped: MetadataBackup %s of the same database is still running"
                  .formatted(due, running.get().getMetadata().getName()));
      return;
    }
    String name = schedule.getMetadata().getName() + "-" + NAME_TIME.format(due);
    MetadataBackup backup =
        SecondaryResources.stamp(
            new MetadataBackup(),
            schedule,
            name,
            Map.of(LABEL_SCHEDULE, schedule.getMetadata().getName()));
    backup.setSpec(schedule.getSpec().backupTemplate);
    if (SecondaryResources.create(support.client(), backup)) {
      support.events().normal(schedule, "BackupCreated", "created MetadataBackup " + name);
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
      support
          .client()
          .resources(MetadataBackup.class)
          .inNamespace(schedule.getMetadata().getNamespace())
          .withName(name)
          .delete();
      support
          .events()
          .normal(
              schedule, "BackupPruned", "deleted MetadataBackup %s (retention)".formatted(name));
    }
  }
}
