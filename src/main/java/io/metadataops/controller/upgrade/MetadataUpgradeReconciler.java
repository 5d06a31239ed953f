package io.metadataops.controller.upgrade;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.metadataops.api.MetadataBackup;
import io.metadataops.api.MetadataRestore;
import io.metadataops.api.MetadataUpgrade;
import io.metadataops.api.MetadataUpgradeStatus;
import io.metadataops.controller.Conditions;
import io.metadataops.controller.ControllerSupport;
import io.metadataops.controller.Problem;
import io.metadataops.controller.PrunedItemStore;
import io.metadataops.controller.SecondaryResources;
import io.metadataops.controller.StatusUpdates;
import io.metadataops.k8s.EngineJob;
import io.metadataops.upgrade.RehearsalObservations;
import io.metadataops.upgrade.UpgradeAction;
import io.metadataops.upgrade.UpgradeCondition;
import io.metadataops.upgrade.UpgradeConditions;
import io.metadataops.upgrade.UpgradeObservations;
import io.metadataops.upgrade.UpgradePhase;
import io.metadataops.upgrade.UpgradePlanner;
import io.metadataops.upgrade.UpgradeProgress;
import io.metadataops.upgrade.UpgradeSnapshot;
import io.metadataops.upgrade.UpgradeSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One MetadataUpgrade: read the recorded progress and the cluster, ask the planner for the next
 * action, apply it, record the status. The planner is pure and the status holds all state, so a
 * restarted operator resumes where the status says.
 */
@ControllerConfiguration(
    name = "metadataupgrade",
    informer = @Informer(itemStore = PrunedItemStore.class))
public class MetadataUpgradeReconciler implements Reconciler<MetadataUpgrade> {

  /** After a transition or a cluster action, look again at once: no event may announce it. */
  static final Duration SOON = Duration.ofMillis(500);

  private final ControllerSupport support;
  private final UpgradePlanner planner = UpgradePlanner.withBundledCatalogue();
  private final UpgradeObserver observer;
  private final UpgradeActions actions;

  public MetadataUpgradeReconciler(
      ControllerSupport support, UpgradeObserver observer, UpgradeActions actions) {
    this.support = support;
    this.observer = observer;
    this.actions = actions;
  }

  @Override
  public List<EventSource<?, MetadataUpgrade>> prepareEventSources(
      EventSourceContext<MetadataUpgrade> context) {
    return List.of(
        SecondaryResources.engineJobs(context, MetadataUpgrade.class),
        owned(context, MetadataBackup.class),
        owned(context, MetadataRestore.class),
        SecondaryResources.referenced(
            context, Deployment.class, "upgrade-deployments", UpgradeObserver::deploymentNames));
  }

  private static <R extends HasMetadata> InformerEventSource<R, MetadataUpgrade> owned(
      EventSourceContext<MetadataUpgrade> context, Class<R> type) {
    return SecondaryResources.informer(context, type, MetadataUpgrade.class, EngineJob.LABEL_OWNER);
  }

  @Override
  public UpdateControl<MetadataUpgrade> reconcile(
      MetadataUpgrade upgrade, Context<MetadataUpgrade> context) {
    String before = StatusUpdates.begin(upgrade, MetadataUpgradeStatus::new);
    MetadataUpgradeStatus status = upgrade.getStatus();
    UpgradeProgress progress = UpgradeStatuses.read(status);
    UpgradeSpec spec = UpgradeSpecs.of(upgrade);
    Instant now = support.clock().instant();
    UpgradeObservations observed = observer.observe(upgrade, progress, context);
    recordObserved(upgrade, status, observed);
    UpgradeAction action = planner.next(new UpgradeSnapshot(spec, progress, observed, now));
    Optional<Duration> recheck = act(upgrade, action, progress, context, now);
    if (!(action instanceof UpgradeAction.Idle)) {
      // An upgrade that has ended leaves the gate to the next upgrade of the server.
      actions.holdGate(upgrade, UpgradeStatuses.read(status), context);
    }
    writeConditions(
        status, UpgradeStatuses.read(status), spec.paused(), upgrade.getMetadata().getGeneration());
    UpgradeStatuses.refreshApprovals(status, spec.approvedChanges());
    UpdateControl<MetadataUpgrade> control = StatusUpdates.patchIfChanged(upgrade, before);
    return recheck.map(control::rescheduleAfter).orElse(control);
  }

  /** Carries out the planner's decision; when to look again if no event will tell. */
  private Optional<Duration> act(
      MetadataUpgrade upgrade,
      UpgradeAction action,
      UpgradeProgress progress,
      Context<MetadataUpgrade> context,
      Instant now) {
    MetadataUpgradeStatus status = upgrade.getStatus();
    if (action instanceof UpgradeAction.Transition transition) {
      transition(upgrade, progress, transition.progress(), now);
      return Optional.of(SOON);
    }
    if (action instanceof UpgradeAction.Wait wait) {
      status.message = wait.message();
      return Optional.of(shorter(wait.recheckAfter().orElse(support.settings().recheckInterval())));
    }
    if (action instanceof UpgradeAction.Idle) {
      return Optional.empty();
    }
    Optional<Problem> problem = actions.apply(action, upgrade, progress, context);
    problem.ifPresent(p -> support.events().warning(upgrade, p.reason(), p.message()));
    status.message = problem.map(Problem::message).orElse(status.message);
    return Optional.of(problem.isPresent() ? support.settings().recheckInterval() : SOON);
  }

  @Override
  public ErrorStatusUpdateControl<MetadataUpgrade> updateErrorStatus(
      MetadataUpgrade upgrade, Context<MetadataUpgrade> context, Exception e) {
    return StatusUpdates.recordError(upgrade, MetadataUpgradeStatus::new, e, support.clock());
  }

  private void transition(
      MetadataUpgrade upgrade, UpgradeProgress before, UpgradeProgress after, Instant now) {
    MetadataUpgradeStatus status = upgrade.getStatus();
    UpgradeStatuses.write(after, status);
    UpgradeStatuses.recordStep(status, before, after, now);
    boolean newFailure =
        !after.failure().equals(before.failure())
            || !after.rollbackFailure().equals(before.rollbackFailure());
    if (newFailure) {
      var failure = after.rollbackFailure().or(after::failure).orElseThrow();
      support.events().warning(upgrade, failure.reason().conditionReason(), after.message());
    } else if (after.phase() == UpgradePhase.ROLLED_BACK) {
      support.events().warning(upgrade, after.phase().value(), after.message());
    } else {
      support.events().normal(upgrade, after.phase().value(), after.message());
    }
  }

  private static void recordObserved(
      MetadataUpgrade upgrade, MetadataUpgradeStatus status, UpgradeObservations observed) {
    observed.databaseSchemaVersion().ifPresent(v -> status.databaseVersion = v);
    observed
        .databaseServer()
        .ifPresent(
            server -> {
              server.location().ifPresent(where -> status.database = where);
              status.databaseServer = server.engine() + " " + server.version();
            });
    observed.reindex().name().ifPresent(n -> status.reindexJobName = n);
    observed.inspection().name().ifPresent(n -> status.inspectionJobName = n);
    observed.migration().name().ifPresent(n -> status.migrationJobName = n);
    observed.restore().name().ifPresent(n -> status.restoreName = n);
    RehearsalObservations rehearsal = observed.rehearsal();
    rehearsal
        .restore()
        .name()
        .ifPresent(
            n -> {
              UpgradeStatuses.rehearsal(status).restoreJobName = n;
              UpgradeStatuses.rehearsal(status).scratchDatabase =
                  UpgradeSpecs.rehearsalScratch(upgrade);
            });
    rehearsal
        .migration()
        .name()
        .ifPresent(n -> UpgradeStatuses.rehearsal(status).migrationJobName = n);
    rehearsal.drop().name().ifPresent(n -> UpgradeStatuses.rehearsal(status).dropJobName = n);
  }

  private void writeConditions(
      MetadataUpgradeStatus status, UpgradeProgress progress, boolean paused, long generation) {
    status.observedGeneration = generation;
    Conditions.Writer writer = Conditions.writer(status, generation, support.clock());
    for (UpgradeCondition condition : UpgradeConditions.derive(progress, paused)) {
      writer.set(condition.type(), condition.status(), condition.reason(), condition.message());
    }
  }

  /** Waits on something no event announces (pods, timeouts) look again at least this often. */
  private Duration shorter(Duration wanted) {
    return wanted.compareTo(support.settings().recheckInterval()) < 0
        ? wanted
        : support.settings().recheckInterval();
  }
}
