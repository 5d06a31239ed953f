package io.metadataops.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.metadataops.controller.ControllerSupport;
import io.metadataops.controller.OperatorSettings;
import io.metadataops.controller.backup.BackupMetrics;
import io.metadataops.controller.backup.MetadataBackupReconciler;
import io.metadataops.controller.jobs.EngineJobs;
import io.metadataops.controller.jobs.ReferenceChecks;
import io.metadataops.controller.restore.MetadataRestoreReconciler;
import io.metadataops.controller.schedule.MetadataBackupScheduleReconciler;
import io.metadataops.controller.upgrade.MetadataUpgradeReconciler;
import io.metadataops.controller.upgrade.UpgradeActions;
import io.metadataops.controller.upgrade.UpgradeObserver;
import io.metadataops.k8s.EventRecorder;
import io.metadataops.k8s.ServerScaler;
import io.metadataops.k8s.VersionEndpoint;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;

/**
 * The operator's reconcilers in a plain java-operator-sdk Operator, watching one namespace of the
 * test cluster. Built by hand (no Quarkus) so a test can stop it mid-step and start another one, as
 * a crashed and restarted operator would.
 */
public final class TestOperator implements AutoCloseable {

  public static final String ENGINE_IMAGE = "metadataops.io/engine:test";

  private final Operator operator;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private TestOperator(ClusterNamespace namespace, Clock clock, OperatorSettings settings) {
    KubernetesClient client = namespace.client();
    ReferenceChecks references = new ReferenceChecks(client);
    EngineJobs jobs = new EngineJobs(client, references, settings);
    ControllerSupport support =
        new ControllerSupport(client, new EventRecorder(client, clock), settings, clock);
    ServerScaler scaler = new ServerScaler(client);
    operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
    operator.register(
        new MetadataBackupReconciler(support, jobs, new BackupMetrics(meters)),
        o -> o.settingNamespace(namespace.name()));
    operator.register(
        new MetadataBackupScheduleReconciler(support), o -> o.settingNamespace(namespace.name()));
    operator.register(
        new MetadataRestoreReconciler(support, jobs, scaler),
        o -> o.settingNamespace(namespace.name()));
    operator.register(
        new MetadataUpgradeReconciler(
            support,
            new UpgradeObserver(client, scaler, new VersionEndpoint(Duration.ofSeconds(2))),
            new UpgradeActions(client, jobs, scaler)),
        o -> o.settingNamespace(namespace.name()));
  }

  public static TestOperator start(ClusterNamespace namespace) {
    return start(namespace, Clock.systemUTC());
  }

  public static TestOperator start(ClusterNamespace namespace, Clock clock) {
    return start(namespace, clock, new OperatorSettings(ENGINE_IMAGE, Duration.ofSeconds(2)));
  }

  public static TestOperator start(
      ClusterNamespace namespace, Clock clock, OperatorSettings settings) {
    TestOperator testOperator = new TestOperator(namespace, clock, settings);
    testOperator.operator.start();
    return testOperator;
  }

  public SimpleMeterRegistry meters() {
    return meters;
  }

  @Override
  public void close() {
    operator.stop();
  }
}
