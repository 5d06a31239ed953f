package io.metadataops.gitops;

import static io.metadataops.e2e.E2eImages.BROKEN;
import static io.metadataops.e2e.E2eImages.FROM;
import static io.metadataops.e2e.E2eImages.TO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.metadataops.api.MetadataUpgrade;
import io.metadataops.api.MetadataUpgradePhase;
import io.metadataops.api.UpgradeStep;
import io.metadataops.e2e.DatabaseKind;
import io.metadataops.e2e.E2eImages;
import io.metadataops.e2e.E2eManifests;
import io.metadataops.e2e.OpenMetadataInstance;
import io.metadataops.e2e.RealNodeProvider;
import io.metadataops.e2e.standin.StandInOpenMetadata;
import io.metadataops.gitops.ArgoCd.AppStatus;
import io.metadataops.k8s.DeploymentRollout;
import io.metadataops.k8s.ServerGateConfigMap;
import io.metadataops.upgrade.Manager;
import io.metadataops.upgrade.UpgradePlanner;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Upgrades driven by commits, with the real Argo CD of hack/argocd (auto-sync, prune, self-heal)
 * applying a Git repository to the real node, where the operator, MySQL 8, the stand-in servers and
 * every Job run as pods. The server Deployment and the MetadataUpgrade are in one application; the
 * upgrade in sync wave -1. A watch of the namespace's pods and Jobs records what ran when.
 */
@Tag("node")
@Tag("gitops")
class GitOpsUpgradeIT {

  private static final DatabaseKind KIND = DatabaseKind.MYSQL;
  private static final int REPLICAS = 1;
  private static final String PATH = "openmetadata";

  private static RealNodeProvider node;
  private static ArgoCd argo;
  private static KubernetesClient client;
  private static String ns;

  private GitRepository git;
  private OpenMetadataInstance om;
  private final List<Seen> history = new CopyOnWriteArrayList<>();
  private final Set<String> migrationJobs = ConcurrentHashMap.newKeySet();
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

  /** A server pod as the watch saw it at {@code at}. */
  private record Seen(Instant at, String pod, String image, String event, boolean running) {}

  @BeforeAll
  static void start() throws Exception {
    argo = ArgoCd.start();
    node = RealNodeProvider.start();
    client = node.namespace().client();
    ns = node.namespace().name();
  }

  @AfterAll
  static void stop() {
    if (argo != null) {
      argo.close();
    }
    if (node != null) {
      node.close();
    }
  }

  @BeforeEach
  void repository() {
    git = GitRepository.create();
  }

  @AfterEach
  void cleanUp() throws Exception {
    informers.forEach(SharedIndexInformer::stop);
    argo.deleteApplications();
    node.scaleDownServers();
    git.close();
    if (om != null) {
      om.drop();
    }
  }

  @Test
  void aCommitBacksUpMigratesOnceAndRollsOutWhatGitSays() throws Exception {
    ArgoCd.Application app = install("gitops-ok");
    Instant committed = Instant.now();
    String bump = commitUpgrade(app, TO);

    MetadataUpgrade done = awaitUpgrade(MetadataUpgradePhase.Succeeded);
    AppStatus synced = app.awaitSyncedAndHealthy(bump);
    Duration took = Duration.between(committed, Instant.now());
    System.out.printf("[gitops] commit to Synced+Healthy on %s: %d s%n", TO, took.toSeconds());

    assertThat(done.getStatus().gitOps).isEqualTo("Argo CD application " + app.name());
    assertThat(synced.resource("Deployment", om.name()).syncWave()).isZero();
    assertThat(synced.resource("MetadataUpgrade", om.name()).syncWave()).isEqualTo(-1);
    assertThat(om.image()).isEqualTo(E2eImages.server(TO));
    assertThat(om.schemaVersion()).isEqualTo(TO);
    assertThat(migrationJobs).as("migration Jobs").hasSize(1);

    Instant backedUp = step(done, "BackingUp").completedAt();
    Instant migrating = step(done, "Migrating").startedAt();
    assertThat(serverPods(E2eImages.server(TO)))
        .as("pods of %s seen before the final backup completed at %s", TO, backedUp)
        .allSatisfy(seen -> assertThat(seen.at()).isAfterOrEqualTo(backedUp));
    assertThat(serverPods(E2eImages.server(FROM)).stream().filter(Seen::running))
        .as("pods of %s running once the migration started at %s", FROM, migrating)
        .allSatisfy(seen -> assertThat(seen.at()).isBefore(migrating));
    assertThat(gate().getData())
        .containsEntry("image", E2eImages.server(TO))
        .containsEntry("selector", E2eManifests.NAME_LABEL + "=" + om.name());
  }

  @Test
  void aFailedMigrationIsRestoredNotRetriedAndRevertedInGit() throws Exception {
    ArgoCd.Application app = install("gitops-fail");
    String bump = commitUpgrade(app, BROKEN);

    MetadataUpgrade rolledBack = awaitUpgrade(MetadataUpgradePhase.RolledBack);
    assertThat(rolledBack.getStatus().firstFailure.reason).isEqualTo("MigrationFailed");
    AppStatus degraded = app.awaitHealth("Degraded");
    String migrationFailed = "The migration Job " + om.name() + "-migrate-1 failed";
    assertThat(degraded.resource("MetadataUpgrade", om.name()).healthMessage())
        .startsWith("RolledBack: ")
        .contains(migrationFailed);
    AppStatus retried =
        app.await(
            "the automated retries to end",
            Duration.ofMinutes(3),
            s -> "Failed".equals(s.operationPhase()) && s.retryCount() >= RETRIES);
    assertThat(retried.result("MetadataUpgrade", om.name()))
        .hasValueSatisfying(
            result -> {
              assertThat(result.phase()).isEqualTo("Failed");
              assertThat(result.message()).contains(migrationFailed);
            });
    assertThat(retried.operationMessage()).contains("completed unsuccessfully");
    assertThat(migrationJobs).as("migration Jobs after every retry").hasSize(1);
    assertThat(om.image()).isEqualTo(E2eImages.server(FROM));
    assertThat(om.schemaVersion()).isEqualTo(FROM);
    assertThat(gate().getData())
        .containsEntry("image", E2eImages.server(FROM))
        .containsEntry(ServerGateConfigMap.FAILED_UPGRADE, FROM + "->" + BROKEN);

    // Someone deletes the Degraded upgrade and syncs by hand: Argo CD re-creates it, and the new
    // object refuses to run the failed migration again.
    String firstUid = rolledBack.getMetadata().getUid();
    client.resource(rolledBack).delete();
    await()
        .atMost(node.timeout())
        .until(
            () ->
                upgradeObject() == null
                    || !firstUid.equals(upgradeObject().getMetadata().getUid()));
    sync(app, bump);
    MetadataUpgrade refused = awaitUpgrade(MetadataUpgradePhase.Stalled);
    assertThat(refused.getMetadata().getUid()).isNotEqualTo(firstUid);
    assertThat(refused.getStatus().firstFailure.reason).isEqualTo("PreviouslyFailed");
    assertThat(migrationJobs).as("migration Jobs after a re-created upgrade").hasSize(1);
    assertThat(om.image()).isEqualTo(E2eImages.server(FROM));

    Instant reverting = Instant.now();
    String revert = git.revertHead();
    app.refresh();
    app.awaitSyncedAndHealthy(revert);
    System.out.printf(
        "[gitops] revert to Synced+Healthy: %d s%n",
        Duration.between(reverting, Instant.now()).toSeconds());
    await()
        .atMost(node.timeout())
        .until(
            () ->
                client.resources(MetadataUpgrade.class).inNamespace(ns).withName(om.name()).get()
                    == null);
    assertThat(om.image()).isEqualTo(E2eImages.server(FROM));
    assertThat(bump).isNotEqualTo(revert);
  }

  @Test
  void aRolloutThatFailsAfterGitAppliedTheImageIsRestoredAndWaitsForTheRevert() throws Exception {
    ArgoCd.Application app = install("gitops-rollout");
    Map<String, String> before = om.fingerprint();
    MetadataUpgrade upgrade = upgradeManifest(TO);
    upgrade.getSpec().rollout.timeoutSeconds = ROLLOUT_TIMEOUT_SECONDS;
    commit(app, serverThatCannotStart(TO), upgrade, "Upgrade to " + TO + " with refused settings");

    // The migration ran, Argo CD applied the new image, its pods never became ready: the operator
    // stops the server against the self-heal (the gate refuses the pods it scales back up),
    // restores the backup and waits for Git instead of fighting over the image.
    MetadataUpgrade waiting =
        awaitUpgrade(
            u ->
                u.getStatus().phase == MetadataUpgradePhase.RollingBack
                    && "AWAITING_GIT".equals(u.getStatus().rollbackStep)
                    && u.getStatus().message.startsWith("The database is back at"));
    assertThat(waiting.getStatus().firstFailure.reason).isEqualTo("RolloutTimeout");
    assertThat(waiting.getStatus().message)
        .contains("The database is back at " + FROM)
        .contains("to apply " + E2eImages.server(FROM) + " again")
        .contains("Revert the commit");
    assertThat(migrationJobs).as("migration Jobs").hasSize(1);
    assertThat(om.schemaVersion()).isEqualTo(FROM);
    assertThat(om.fingerprint()).as("the data as before the upgrade").isEqualTo(before);
    AppStatus degraded = app.awaitHealth("Degraded");
    assertThat(degraded.resource("MetadataUpgrade", om.name()).healthMessage())
        .startsWith("RollingBack, waiting for Git: ");
    await("the gate refusing the pods of Git's replicas")
        .atMost(node.timeout())
        .until(() -> DeploymentRollout.gateRefusesPods(om.deployment()));
    long generation = om.deployment().getMetadata().getGeneration();
    await()
        .during(Duration.ofSeconds(15))
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                om.deployment().getMetadata().getGeneration() == generation
                    && om.image().equals(E2eImages.server(TO)));

    String revert = git.revertHead();
    app.refresh();
    app.awaitSyncedAndHealthy(revert);
    await().atMost(node.timeout()).until(() -> upgradeObject() == null);
    assertThat(om.image()).isEqualTo(E2eImages.server(FROM));
    assertThat(om.changeLog()).containsExactly(FROM);
    // Each new pod of the chart's shape re-runs `migrate --force` of its own version, which writes
    // its change-log row again: the entities are what must not have changed.
    assertThat(withoutChangeLog(om.fingerprint())).isEqualTo(withoutChangeLog(before));
    assertThat(migrationJobs).as("migration Jobs after the revert").hasSize(1);
    assertThat(gate().getData())
        .containsEntry("image", E2eImages.server(FROM))
        .containsEntry(ServerGateConfigMap.FAILED_UPGRADE, FROM + "->" + TO);
  }

  @Test
  void anUpgradeOutsideTheApplicationIsRefusedWithTheFix() throws Exception {
    install("gitops-refused");
    MetadataUpgrade upgrade = E2eManifests.upgrade(om.name(), TO, node);
    client.resource(upgrade).inNamespace(ns).create();

    MetadataUpgrade stalled = awaitUpgrade(MetadataUpgradePhase.Stalled);
    assertThat(stalled.getStatus().firstFailure.reason).isEqualTo("SyncWouldUndoUpgrade");
    assertThat(stalled.getStatus().firstFailure.message)
        .contains("applied by Argo CD application")
        .contains("argocd.argoproj.io/sync-wave: \"-1\"");
    assertThat(om.image()).isEqualTo(E2eImages.server(FROM));
    assertThat(migrationJobs).isEmpty();
    assertThat(
            client.configMaps().inNamespace(ns).withName(ServerGateConfigMap.name(om.name())).get())
        .as("no gate: nothing was touched")
        .isNull();
  }

  // ---- steps --------------------------------------------------------------------------------

  /**
   * The server as the official chart shapes it, its init container's {@code migrate --force}
   * approved: every new pod re-runs it, so only the gate keeps a pod of the target from migrating
   * before the backup.
   */
  private static final E2eManifests.ServerShape SHAPE = E2eManifests::chartShapedServer;

  /** Short enough that the rollout of a server that cannot start fails soon. */
  private static final long ROLLOUT_TIMEOUT_SECONDS = 30;

  /** Automated sync retries of the applications: each re-applies the failed upgrade. */
  private static final int RETRIES = 2;

  /** A database at {@link E2eImages#FROM}, its server committed and synced by a new application. */
  private ArgoCd.Application install(String name) throws Exception {
    om = OpenMetadataInstance.seed(node, KIND, name, FROM);
    watch();
    String first =
        git.write(PATH + "/server.yaml", yaml(om.serverManifests(FROM, REPLICAS, SHAPE)))
            .commit("OpenMetadata " + FROM);
    ArgoCd.Application app =
        argo.create(name, ArgoCd.Sync.of(git, PATH, ns).withRetry(RETRIES, Duration.ofSeconds(1)));
    app.awaitSyncedAndHealthy(first);
    return app;
  }

  /** The commit a person makes: the new image and the upgrade, in sync wave -1. */
  private String commitUpgrade(ArgoCd.Application app, String version) {
    return commit(
        app,
        om.serverManifests(version, REPLICAS, SHAPE),
        upgradeManifest(version),
        "Upgrade OpenMetadata to " + version);
  }

  private String commit(
      ArgoCd.Application app, List<HasMetadata> server, MetadataUpgrade upgrade, String message) {
    String sha =
        git.write(PATH + "/server.yaml", yaml(server))
            .write(PATH + "/upgrade.yaml", Serialization.asYaml(upgrade))
            .commit(message);
    app.refresh();
    return sha;
  }

  /** The upgrade to {@code version} in sync wave -1, the chart's forced migrations approved. */
  private MetadataUpgrade upgradeManifest(String version) {
    MetadataUpgrade upgrade = E2eManifests.upgrade(om.name(), version, node);
    upgrade.getMetadata().setAnnotations(Map.of(Manager.ARGO_CD_SYNC_WAVE, "-1"));
    upgrade.getSpec().approvedChanges =
        Stream.concat(
                upgrade.getSpec().approvedChanges.stream(),
                Stream.of("1.6/" + UpgradePlanner.FORCED_MIGRATIONS))
            .toList();
    return upgrade;
  }

  /** The server of {@code version} with settings its release refuses: it never becomes ready. */
  private List<HasMetadata> serverThatCannotStart(String version) {
    List<HasMetadata> objects = om.serverManifests(version, REPLICAS, SHAPE);
    objects.stream()
        .filter(Deployment.class::isInstance)
        .map(Deployment.class::cast)
        .flatMap(d -> d.getSpec().getTemplate().getSpec().getContainers().stream())
        .filter(c -> c.getName().equals(E2eManifests.SERVER_CONTAINER))
        .forEach(c -> c.getEnv().add(new EnvVar(StandInOpenMetadata.FAIL_START, "true", null)));
    return objects;
  }

  private static Map<String, String> withoutChangeLog(Map<String, String> fingerprint) {
    Map<String, String> tables = new LinkedHashMap<>(fingerprint);
    tables.remove("SERVER_CHANGE_LOG");
    return tables;
  }

  private MetadataUpgrade upgradeObject() {
    return client.resources(MetadataUpgrade.class).inNamespace(ns).withName(om.name()).get();
  }

  /** What {@code argocd app sync} does: an operation on the Application. */
  private void sync(ArgoCd.Application app, String revision) {
    client
        .genericKubernetesResources("argoproj.io/v1alpha1", "Application")
        .inNamespace(argo.namespace())
        .withName(app.name())
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"operation\":{\"initiatedBy\":{\"username\":\"gitops-it\"},\"sync\":{\"revision\":\""
                + revision
                + "\"}}}");
  }

  private MetadataUpgrade awaitUpgrade(MetadataUpgradePhase phase) {
    return awaitUpgrade(u -> u.getStatus().phase == phase);
  }

  private MetadataUpgrade awaitUpgrade(Predicate<MetadataUpgrade> condition) {
    return await()
        .atMost(node.timeout().multipliedBy(3))
        .pollInterval(Duration.ofSeconds(1))
        .until(this::upgradeObject, u -> u != null && u.getStatus() != null && condition.test(u));
  }

  /** Records server pods (by the Deployment's selector) and migration Jobs as they come and go. */
  private void watch() {
    Map<String, String> selector = Map.of(E2eManifests.NAME_LABEL, om.name());
    informers.add(
        client
            .pods()
            .inNamespace(ns)
            .withLabels(selector)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {
                    record(pod, "added");
                  }

                  @Override
                  public void onUpdate(Pod before, Pod pod) {
                    record(pod, "updated");
                  }

                  @Override
                  public void onDelete(Pod pod, boolean unknownFinalState) {
                    record(pod, "deleted");
                  }
                }));
    informers.add(
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace(ns)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Job job) {
                    if (job.getMetadata().getName().startsWith(om.name() + "-migrate-")) {
                      migrationJobs.add(job.getMetadata().getName());
                    }
                  }

                  @Override
                  public void onUpdate(Job before, Job job) {
                    onAdd(job);
                  }

                  @Override
                  public void onDelete(Job job, boolean unknownFinalState) {
                    onAdd(job);
                  }
                }));
  }

  private void record(Pod pod, String event) {
    if (pod.getMetadata().getLabels().containsKey("batch.kubernetes.io/job-name")) {
      return;
    }
    String image =
        pod.getSpec().getContainers().stream()
            .filter(c -> c.getName().equals(E2eManifests.SERVER_CONTAINER))
            .map(Container::getImage)
            .findFirst()
            .orElse("");
    boolean running =
        pod.getStatus() != null
            && pod.getStatus().getContainerStatuses() != null
            && pod.getStatus().getContainerStatuses().stream()
                .anyMatch(c -> c.getState() != null && c.getState().getRunning() != null);
    history.add(new Seen(Instant.now(), pod.getMetadata().getName(), image, event, running));
  }

  private List<Seen> serverPods(String image) {
    return history.stream().filter(seen -> seen.image().equals(image)).toList();
  }

  private io.fabric8.kubernetes.api.model.ConfigMap gate() {
    return client.configMaps().inNamespace(ns).withName(ServerGateConfigMap.name(om.name())).get();
  }

  private record Step(Instant startedAt, Instant completedAt) {}

  private static Step step(MetadataUpgrade upgrade, String name) {
    UpgradeStep step =
        upgrade.getStatus().steps.stream()
            .filter(s -> name.equals(s.name))
            .reduce((first, second) -> second)
            .orElseThrow(
                () -> new AssertionError("no step " + name + " in " + upgrade.getStatus().steps));
    // The watch's clock and the operator's agree to the second on this machine.
    return new Step(
        Instant.parse(step.startedAt).truncatedTo(ChronoUnit.SECONDS),
        Instant.parse(step.completedAt).truncatedTo(ChronoUnit.SECONDS));
  }

  private static String yaml(List<HasMetadata> objects) {
    return objects.stream().map(Serialization::asYaml).collect(Collectors.joining("\n"));
  }
}
