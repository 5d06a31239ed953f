package io.metadataops.controller;

import static io.metadataops.testing.OpenMetadataFixture.CLAIM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.metadataops.api.MetadataBackup;
import io.metadataops.api.MetadataRestore;
import io.metadataops.api.MetadataUpgrade;
import io.metadataops.api.MetadataUpgradePhase;
import io.metadataops.api.MetadataUpgradeSpec;
import io.metadataops.api.RehearsalSpec;
import io.metadataops.api.shared.ServerReference;
import io.metadataops.k8s.DeploymentRollout;
import io.metadataops.k8s.EngineJob;
import io.metadataops.testing.ClusterNamespace;
import io.metadataops.testing.ClusterTest;
import io.metadataops.testing.JobConditions;
import io.metadataops.testing.OpenMetadataFixture;
import io.metadataops.testing.Simulation;
import io.metadataops.testing.TestOperator;
import io.metadataops.testing.VersionEndpointStandIn;
import io.metadataops.upgrade.ServerDeployment.RolloutState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * MetadataUpgrade against a real API server: Job and server pods simulated by KWOK, the server's
 * version endpoint by a local HTTP server that answers only once the Deployment is rolled out. A
 * successful upgrade and a failed migration rolled back, with Jobs that really run, are end-to-end
 * scenarios (io.metadataops.e2e.EndToEndScenarios).
 */
@ClusterTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetadataUpgradeControllerIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final String IMAGE = "docker.getcollate.io/openmetadata/server:";
  private static final String NEVER_READY = "simulated.invalid/openmetadata/server:never-ready";
  private static final String SUMMARY =
      "{\"command\":\"inspect\",\"status\":\"Succeeded\",\"schemaVersion\":\"1.5.2\","
          + "\"tables\":42,\"rows\":1000}";
  private static final List<String> APPROVALS_1_6 =
      List.of("1.6/auto-classification", "1.6/lineage-option-moved", "1.6/edit-tags-split");

  private final ClusterNamespace namespace;
  private final KubernetesClient client;
  private TestOperator operator;
  private VersionEndpointStandIn versionEndpoint;

  MetadataUpgradeControllerIT(ClusterNamespace namespace) {
    this.namespace = namespace;
    this.client = namespace.client();
  }

  @BeforeAll
  void start() throws IOException {
    OpenMetadataFixture.install(namespace, "1.5.2", 1);
    versionEndpoint = VersionEndpointStandIn.start(namespace);
    operator = TestOperator.start(namespace);
  }

  @AfterAll
  void stop() {
    operator.close();
    versionEndpoint.close();
    client
        .admissionRegistration()
        .v1()
        .validatingAdmissionPolicyBindings()
        .withName(policyName())
        .delete();
    client
        .admissionRegistration()
        .v1()
        .validatingAdmissionPolicies()
        .withName(policyName())
        .delete();
  }

  @Test
  void rolloutThatNeverBecomesAvailableTimesOutAndRollsBack() {
    rejectServerPodsWithImage(NEVER_READY);
    server("stuck", 1);
    create(
        upgrade(
            "stuck",
            "1.6.3",
            spec -> {
              spec.image = NEVER_READY;
              spec.rollout.timeoutSeconds = 10;
            }));

    MetadataUpgrade done = awaitPhase("stuck", MetadataUpgradePhase.RolledBack);
    assertThat(done.getStatus().firstFailure.reason).isEqualTo("RolloutTimeout");
    assertThat(done.getStatus().firstFailure.step).isEqualTo("RollingOut");
    Deployment after = deployment("stuck");
    assertThat(after.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo(IMAGE + "1.5.2");
    assertThat(after.getSpec().getReplicas()).isEqualTo(1);
    assertThat(get(MetadataRestore.class, "stuck-restore-1")).isNotNull();
  }

  @Test
  void approvalGateWaitsUntilTheSpecNamesTheChanges() {
    server("gated", 1);
    create(upgrade("gated", "1.6.3", spec -> spec.approvedChanges = List.of()));

    MetadataUpgrade waiting = awaitPhase("gated", MetadataUpgradePhase.AwaitingApproval);
    assertThat(waiting.getStatus().pendingApprovals).containsExactlyElementsOf(APPROVALS_1_6);
    assertThat(condition(waiting, "Approved").getStatus()).isEqualTo("False");
    assertThat(condition(waiting, "Approved").getReason()).isEqualTo("AwaitingApproval");
    assertThat(waiting.getStatus().message).contains("1.6/auto-classification");
    assertThat(get(MetadataBackup.class, "gated-backup-1")).isNull();
    assertThat(deployment("gated").getSpec().getReplicas()).isEqualTo(1);

    client
        .resources(MetadataUpgrade.class)
        .inNamespace(namespace.name())
        .withName("gated")
        .edit(
            u -> {
              u.getSpec().approvedChanges = APPROVALS_1_6;
              return u;
            });
    MetadataUpgrade done = awaitPhase("gated", MetadataUpgradePhase.Succeeded);
    assertThat(done.getStatus().pendingApprovals).isEmpty();
    assertThat(condition(done, "Approved").getStatus()).isEqualTo("True");

    // The approval was a spec edit during the attempt: the finished upgrade must not start over.
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                get(MetadataUpgrade.class, "gated").getStatus().phase
                    == MetadataUpgradePhase.Succeeded);
    MetadataUpgrade later = get(MetadataUpgrade.class, "gated");
    assertThat(later.getStatus().attempt).isEqualTo(done.getStatus().attempt);
    assertThat(later.getStatus().backupName).isEqualTo("gated-backup-" + done.getStatus().attempt);
  }

  @Test
  void dryRunWritesThePlanAndChangesNothing() {
    Deployment before = server("dry", 2);
    create(upgrade("dry", "1.6.3", spec -> spec.dryRun = true));

    MetadataUpgrade planned = awaitPhase("dry", MetadataUpgradePhase.Planned);
    assertThat(planned.getStatus().plan)
        .anySatisfy(line -> assertThat(line).startsWith("Migrating: run ./bootstrap"));
    assertThat(planned.getStatus().message).startsWith("Dry run");
    assertThat(condition(planned, "Ready").getStatus()).isEqualTo("True");
    Deployment after = deployment("dry");
    assertThat(after.getSpec()).isEqualTo(before.getSpec());
    assertThat(get(MetadataBackup.class, "dry-backup-1")).isNull();
    assertThat(job("dry-migrate-1")).isNull();
  }

  @Test
  void downgradeAndSkippingTheTwoZeroStopAreRefusedWithNothingTouched() {
    Deployment before = server("refused", 1);
    create(upgrade("down", "1.4.0", spec -> spec.server = new ServerReference("refused")));
    MetadataUpgrade down = awaitPhase("down", MetadataUpgradePhase.Stalled);
    create(upgrade("skip", "2.1.0", spec -> spec.server = new ServerReference("refused")));
    MetadataUpgrade skip = awaitPhase("skip", MetadataUpgradePhase.Stalled);
    assertThat(down.getStatus().firstFailure.reason).isEqualTo("Downgrade");
    assertThat(skip.getStatus().firstFailure.reason).isEqualTo("IntermediateVersionRequired");
    assertThat(condition(down, "Stalled").getStatus()).isEqualTo("True");
    assertThat(condition(skip, "Failed").getStatus()).isEqualTo("True");
    assertThat(deployment("refused").getSpec()).isEqualTo(before.getSpec());
    assertThat(get(MetadataBackup.class, "down-backup-1")).isNull();
    assertThat(get(MetadataBackup.class, "skip-backup-1")).isNull();
  }

  @Test
  void aFailedPreFlightEndsTheUpgradeBeforeAnyDowntime() {
    Deployment before = server("preflight-fails", 1);
    create(
        upgrade(
            "preflight-fails",
            "1.6.3",
            spec -> spec.backup.storage.persistentVolumeClaim.claimName = "no-such-claim"));

    MetadataUpgrade done = awaitPhase("preflight-fails", MetadataUpgradePhase.Failed);
    assertThat(done.getStatus().firstFailure.reason).isEqualTo("PreFlightFailed");
    assertThat(done.getStatus().firstFailure.step).isEqualTo("PreFlight");
    assertThat(done.getStatus().firstFailure.message)
        .contains("preflight-fails-preflight-1", "no-such-claim", "there was no downtime");
    assertThat(condition(done, "PreFlightChecked").getStatus()).isEqualTo("False");
    assertThat(done.getStatus().steps)
        .extracting(s -> s.name + ":" + s.outcome)
        .containsExactly("Validating:Succeeded", "PreFlight:Failed");
    assertThat(done.getStatus().downtime).as("the server never went down").isNull();
    assertUntouched("preflight-fails", before);
  }

  @Test
  void aFailedRehearsalDropsItsScratchAndNeverStopsTheServer() {
    Deployment before = server("rehearsal-fails", 1);
    create(
        upgrade(
            "rehearsal-fails",
            "1.6.3",
            spec -> {
              rehearse(spec);
              spec.migration.podLabels = Map.of(Simulation.OUTCOME, Simulation.FAIL);
            }));

    MetadataUpgrade done = awaitPhase("rehearsal-fails", MetadataUpgradePhase.Failed);
    var status = done.getStatus();
    assertThat(status.firstFailure.reason).isEqualTo("RehearsalFailed");
    assertThat(status.firstFailure.step).isEqualTo("Rehearsing");
    assertThat(status.firstFailure.message)
        .contains("rehearsal-fails-rehearse-migrate-1 failed", "The scratch database is dropped");
    assertThat(condition(done, "Rehearsed").getStatus()).isEqualTo("False");
    assertThat(condition(done, "Rehearsed").getReason()).isEqualTo("RehearsalFailed");
    assertThat(condition(done, "Failed").getReason()).isEqualTo("RehearsalFailed");
    assertThat(status.rehearsal.outcome).isEqualTo("Failed");
    assertThat(status.rehearsal.scratchDatabase)
        .isEqualTo("mdrehearse_" + done.getMetadata().getUid().replace("-", "").substring(0, 12));
    assertThat(status.steps)
        .extracting(s -> s.name + ":" + s.outcome)
        .containsExactly("Validating:Succeeded", "PreFlight:Succeeded", "Rehearsing:Failed");
    assertThat(status.downtime).isNull();
    assertThat(JobConditions.isTrue(job("rehearsal-fails-rehearse-drop-1"), "Complete")).isTrue();
    assertThat(job("rehearsal-fails-rehearse-drop-1").getSpec().getTemplate().getSpec())
        .satisfies(
            pod ->
                assertThat(pod.getContainers().get(0).getArgs())
                    .startsWith(
                        "drop-scratch", "--scratch-database", status.rehearsal.scratchDatabase));
    assertThat(events("rehearsal-fails")).contains("Rehearsing", "RehearsalFailed");
    assertUntouched("rehearsal-fails", before);
  }

  @Test
  void restartedOperatorResumesEveryStepWithoutRepeatingOrSkippingIt() {
    server("restart", 1);
    create(upgrade("restart", "1.6.3", MetadataUpgradeControllerIT::rehearse));
    Map<String, String> seen = new HashMap<>();
    for (MetadataUpgradePhase step :
        List.of(
            MetadataUpgradePhase.PreFlight,
            MetadataUpgradePhase.Rehearsing,
            MetadataUpgradePhase.BackingUp,
            MetadataUpgradePhase.Migrating)) {
      awaitPhase("restart", step);
      operator.close();
      assertThat(get(MetadataUpgrade.class, "restart").getStatus().phase)
          .as("stopped while in %s", step)
          .isEqualTo(step);
      seen.putAll(children("restart"));
      operator = TestOperator.start(namespace);
    }

    MetadataUpgrade done = awaitPhase("restart", MetadataUpgradePhase.Succeeded);
    Map<String, String> children = children("restart");
    assertThat(children).as("no child created twice").containsAllEntriesOf(seen);
    assertThat(children.keySet())
        .containsExactlyInAnyOrder(
            "restart-preflight-1",
            "restart-backup-1",
            "restart-inspect-1",
            "restart-rehearse-restore-1",
            "restart-rehearse-migrate-1",
            "restart-rehearse-drop-1",
            "restart-migrate-1",
            "restart-check-1");
    assertThat(done.getStatus().steps)
        .extracting(s -> s.name + ":" + s.outcome)
        .containsExactly(
            "Validating:Succeeded",
            "PreFlight:Succeeded",
            "Rehearsing:Succeeded",
            "ScalingDown:Succeeded",
            "BackingUp:Succeeded",
            "Migrating:Succeeded",
            "RollingOut:Succeeded",
            "Verifying:Succeeded");
    assertThat(done.getStatus().rehearsal.outcome).isEqualTo("Passed");
    assertThat(done.getStatus().rehearsal.migrationSeconds).isNotNull();
    assertThat(condition(done, "Rehearsed").getStatus()).isEqualTo("True");
    assertThat(done.getStatus().downtime.seconds).isNotNull();
  }

  // ---- Fixtures

  private Deployment server(String name, int replicas) {
    Deployment deployment = OpenMetadataFixture.server("1.5.2", replicas);
    deployment.getMetadata().setName(name);
    Map<String, String> labels = Map.of("app.kubernetes.io/name", name);
    deployment.getSpec().getSelector().setMatchLabels(labels);
    deployment.getSpec().getTemplate().getMetadata().setLabels(labels);
    client.resource(deployment).inNamespace(namespace.name()).create();
    return await()
        .atMost(TIMEOUT)
        .until(() -> deployment(name), d -> DeploymentRollout.of(d) == RolloutState.COMPLETE);
  }

  private MetadataUpgrade upgrade(String name, String version, Consumer<MetadataUpgradeSpec> edit) {
    MetadataUpgrade upgrade = OpenMetadataFixture.upgrade(name, version, CLAIM);
    MetadataUpgradeSpec spec = upgrade.getSpec();
    spec.backup.job.podAnnotations = Simulation.inspections(SUMMARY, Simulation.inspected("1.6.3"));
    spec.approvedChanges = APPROVALS_1_6;
    spec.migration.timeoutSeconds = 60;
    spec.rollout.timeoutSeconds = 30;
    spec.verification.timeoutSeconds = 20;
    edit.accept(spec);
    spec.verification.url = versionEndpoint.url(spec.server.deploymentName);
    return upgrade;
  }

  /**
   * Server pods with {@code image} cannot be created (a ValidatingAdmissionPolicy in this
   * namespace), so a rollout to it never becomes available; Job pods are not affected.
   */
  private void rejectServerPodsWithImage(String image) {
    String policy =
        """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata:
          name: %1$s
        spec:
          failurePolicy: Fail
          matchConstraints:
            resourceRules:
            - apiGroups: [""]
              apiVersions: ["v1"]
              operations: ["CREATE"]
              resources: ["pods"]
          validations:
          - expression: >-
              !(object.spec.containers[0].image == '%2$s' &&
              has(object.metadata.ownerReferences) &&
              object.metadata.ownerReferences.exists(o, o.kind == 'ReplicaSet'))
            message: simulated server pod that never becomes available
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata:
          name: %1$s
        spec:
          policyName: %1$s
          validationActions: [Deny]
          matchResources:
            namespaceSelector:
              matchLabels:
                kubernetes.io/metadata.name: %3$s
        """
            .formatted(policyName(), image, namespace.name());
    client
        .load(new java.io.ByteArrayInputStream(policy.getBytes(StandardCharsets.UTF_8)))
        .items()
        .forEach(item -> client.resource(item).createOr(r -> r.update()));
  }

  private String policyName() {
    return namespace.name() + "-never-ready";
  }

  private static void rehearse(MetadataUpgradeSpec spec) {
    spec.rehearsal = new RehearsalSpec();
    spec.rehearsal.enabled = true;
  }

  /**
   * The server Deployment's spec was never changed (neither scaled down nor given another image),
   * and nothing of this upgrade backed up, migrated or restored the production database.
   */
  private void assertUntouched(String name, Deployment before) {
    Deployment after = deployment(name);
    assertThat(after.getMetadata().getGeneration()).isEqualTo(before.getMetadata().getGeneration());
    assertThat(after.getSpec()).isEqualTo(before.getSpec());
    assertThat(get(MetadataBackup.class, name + "-backup-1")).isNull();
    assertThat(job(name + "-migrate-1")).isNull();
    assertThat(get(MetadataRestore.class, name + "-restore-1")).isNull();
  }

  /** The MetadataBackups and Jobs of upgrade {@code owner}, by name, with their uids. */
  private Map<String, String> children(String owner) {
    Map<String, String> uids = new HashMap<>();
    client.resources(MetadataBackup.class).inNamespace(namespace.name()).list().getItems().stream()
        .filter(b -> b.getMetadata().getName().startsWith(owner + "-"))
        .forEach(b -> uids.put(b.getMetadata().getName(), b.getMetadata().getUid()));
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(namespace.name())
        .withLabel(EngineJob.LABEL_OWNER, owner)
        .list()
        .getItems()
        .forEach(j -> uids.put(j.getMetadata().getName(), j.getMetadata().getUid()));
    return uids;
  }

  private List<String> events(String objectName) {
    return client.v1().events().inNamespace(namespace.name()).list().getItems().stream()
        .filter(e -> objectName.equals(e.getInvolvedObject().getName()))
        .map(Event::getReason)
        .toList();
  }

  private MetadataUpgrade create(MetadataUpgrade upgrade) {
    return client.resource(upgrade).inNamespace(namespace.name()).create();
  }

  private MetadataUpgrade awaitPhase(String name, MetadataUpgradePhase phase) {
    return await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> get(MetadataUpgrade.class, name),
            u -> u.getStatus() != null && u.getStatus().phase == phase);
  }

  private <R extends HasMetadata> R get(Class<R> type, String name) {
    return client.resources(type).inNamespace(namespace.name()).withName(name).get();
  }

  private Deployment deployment(String name) {
    return client.apps().deployments().inNamespace(namespace.name()).withName(name).get();
  }

  private Job job(String name) {
    return client.batch().v1().jobs().inNamespace(namespace.name()).withName(name).get();
  }

  private static Condition condition(MetadataUpgrade upgrade, String type) {
    return upgrade.getStatus().conditions.stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no condition " + type));
  }
}
