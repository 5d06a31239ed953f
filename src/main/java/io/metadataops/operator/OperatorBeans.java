package io.metadataops.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.metadataops.controller.ControllerSupport;
import io.metadataops.controller.OperatorSettings;
import io.metadataops.controller.backup.BackupMetrics;
import io.metadataops.controller.jobs.EngineJobs;
import io.metadataops.controller.jobs.ReferenceChecks;
import io.metadataops.controller.upgrade.UpgradeActions;
import io.metadataops.controller.upgrade.UpgradeObserver;
import io.metadataops.k8s.EventRecorder;
import io.metadataops.k8s.ServerScaler;
import io.metadataops.k8s.VersionEndpoint;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;

/**
 * The operator's collaborators are plain classes, so tests can build them by hand around a real API
 * server; in the running operator, CDI gets them from here.
 */
@ApplicationScoped
public class OperatorBeans {

  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }

  @Produces
  @Singleton
  OperatorSettings settings(OperatorConfig config) {
    return config.settings();
  }

  @Produces
  @Singleton
  ControllerSupport controllerSupport(
      KubernetesClient client, OperatorSettings settings, Clock clock) {
    return new ControllerSupport(client, new EventRecorder(client, clock), settings, clock);
  }

  @Produces
  @Singleton
  BackupMetrics backupMetrics(MeterRegistry registry) {
    return new BackupMetrics(registry);
  }

  /**
   * The SDK's reconciliation metrics per controller, not per resource: per-resource meters grow
   * with every custom resource ever seen (a third of the live heap with 1000 backups, measured by
   * `make bench-operator`), and the backup metrics already count per namespace.
   */
  @Produces
  @Singleton
  Metrics sdkMetrics(MeterRegistry registry) {
    return MicrometerMetrics.withoutPerResourceMetrics(registry);
  }

  @Produces
  @Singleton
  ServerScaler serverScaler(KubernetesClient client) {
    return new ServerScaler(client);
  }

  @Produces
  @Singleton
  EngineJobs backupJobs(
      KubernetesClient client, ReferenceChecks references, OperatorSettings settings) {
    return new EngineJobs(client, references, settings);
  }

  @Produces
  @Singleton
  UpgradeObserver upgradeObserver(KubernetesClient client, ServerScaler scaler) {
    return new UpgradeObserver(client, scaler, new VersionEndpoint(Duration.ofSeconds(3)));
  }

  @Produces
  @Singleton
  UpgradeActions upgradeActions(KubernetesClient client, EngineJobs jobs, ServerScaler scaler) {
    return new UpgradeActions(client, jobs, scaler);
  }
}
