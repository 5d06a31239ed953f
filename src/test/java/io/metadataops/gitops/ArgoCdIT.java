package io.metadataops.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentList;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.metadataops.gitops.ArgoCd.AppStatus;
import io.metadataops.testing.ClusterNamespace;
import io.metadataops.testing.ClusterTest;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The GitOps tier's smoke test: the real Argo CD of hack/argocd syncs commits of a local Git
 * repository into this class's namespace, self-heals drift, evaluates the operator's shipped Lua
 * health checks (deploy/argocd) on its custom resources, and holds a later sync wave while an
 * earlier one is not Healthy. No operator runs: the test writes the custom resources' status
 * itself, as the operator would.
 */
@ClusterTest
@Tag("gitops")
class ArgoCdIT {

  /** The health the shipped checks give a resource the operator has not written a status to. */
  private static final List<String> WAITING = List.of("Progressing", "Waiting for the operator");

  private static ArgoCd argo;
  private final ClusterNamespace namespace;
  private GitRepository git;

  ArgoCdIT(ClusterNamespace namespace) {
    this.namespace = namespace;
  }

  @BeforeAll
  static void startArgoCd() {
    argo = ArgoCd.start();
  }

  @AfterAll
  static void closeArgoCd() {
    argo.close();
  }

  @BeforeEach
  void newRepository() {
    git = GitRepository.create();
  }

  @AfterEach
  void deleteApplicationsThenRepository() {
    argo.deleteApplications();
    git.close();
  }

  @Test
  void commitsAreSyncedAndSelfHealRevertsAnEditedImage() {
    String sha =
        git.write("app/config.yaml", configMap("settings", "level: info"))
            .write("app/server.yaml", deployment("server", "registry.invalid/server:1.5.2", ""))
            .commit("Deploy server 1.5.2");
    long start = System.nanoTime();
    ArgoCd.Application app = argo.create(appName("smoke"), ArgoCd.Sync.of(git, "app", ns()));

    AppStatus synced = app.awaitSyncedAndHealthy(sha);
    report("first sync of a ConfigMap and a Deployment to Synced+Healthy", start);
    assertThat(synced.operationPhase()).isEqualTo("Succeeded");
    assertThat(synced.resource("Deployment", "server").health()).isEqualTo("Healthy");
    assertThat(synced.resource("ConfigMap", "settings").sync()).isEqualTo("Synced");
    assertThat(configMap("settings").getData()).containsEntry("settings", "level: info");
    assertThat(image("server")).isEqualTo("registry.invalid/server:1.5.2");

    // What `kubectl edit` or a controller that does not own the field does.
    deployments()
        .withName("server")
        .edit(
            d -> {
              d.getSpec()
                  .getTemplate()
                  .getSpec()
                  .getContainers()
                  .get(0)
                  .setImage("registry.invalid/server:9.9.9");
              return d;
            });
    start = System.nanoTime();
    awaitImage("server", "registry.invalid/server:1.5.2");
    report("self-heal reverting an edited Deployment image", start);
    app.awaitSyncedAndHealthy(sha);

    String bump =
        git.write("app/server.yaml", deployment("server", "registry.invalid/server:1.6.3", ""))
            .commit("Bump server to 1.6.3");
    start = System.nanoTime();
    app.refresh();
    app.awaitSyncedAndHealthy(bump);
    report("a commit, refreshed, to Synced+Healthy", start);
    assertThat(image("server")).isEqualTo("registry.invalid/server:1.6.3");

    String revert = git.revertHead();
    assertThat(revert).isNotEqualTo(bump);
    app.refresh();
    app.awaitSyncedAndHealthy(revert);
    assertThat(image("server")).isEqualTo("registry.invalid/server:1.5.2");
  }

  @Test
  void theShippedHealthChecksRunInArgoCd() {
    String sha =
        git.write("crs/backup.yaml", backup("nightly"))
            .write("crs/upgrade.yaml", upgrade("to-1-6-3", "1.6.3", ""))
            .commit("A backup and an upgrade");
    ArgoCd.Application app = argo.create(appName("health"), ArgoCd.Sync.of(git, "crs", ns()));
    AppStatus status =
        app.await(
            "Synced, both resources waiting for the operator",
            ArgoCd.DEFAULT_TIMEOUT,
            s ->
                "Synced".equals(s.sync())
                    && sha.equals(s.revision())
                    && WAITING.equals(status(s, "MetadataBackup", "nightly"))
                    && WAITING.equals(status(s, "MetadataUpgrade", "to-1-6-3")));
    assertThat(status.health()).isEqualTo("Progressing");

    long start = System.nanoTime();
    healthAfterStatus(
        app, "MetadataBackup", "nightly", "{}", "Succeeded", "BackupSucceeded", "done: b.sql");
    report("a status change to the resource's health in Argo CD", start);
    assertThat(status(app, "MetadataBackup", "nightly")).containsExactly("Healthy", "done: b.sql");

    healthAfterStatus(
        app, "MetadataBackup", "nightly", "{}", "Failed", "AUTHENTICATION", "access denied");
    assertThat(status(app, "MetadataBackup", "nightly"))
        .containsExactly("Degraded", "AUTHENTICATION: access denied");
    app.awaitHealth("Degraded");

    healthAfterStatus(
        app,
        "MetadataUpgrade",
        "to-1-6-3",
        "{\"phase\":\"Succeeded\",\"toVersion\":\"1.6.3\"}",
        "Succeeded",
        "Verified",
        "serving 1.6.3");
    assertThat(status(app, "MetadataUpgrade", "to-1-6-3"))
        .containsExactly("Healthy", "Running OpenMetadata 1.6.3");

    healthAfterStatus(
        app,
        "MetadataUpgrade",
        "to-1-6-3",
        "{\"phase\":\"RolledBack\"}",
        "RolledBack",
        "MigrationFailed",
        "restored 1.5.2");
    assertThat(status(app, "MetadataUpgrade", "to-1-6-3"))
        .containsExactly("Degraded", "MigrationFailed: restored 1.5.2");
  }

  /**
   * Writes a status with one True condition, as the operator would, and waits until Argo CD's
   * health of the resource changes to something else than before.
   */
  private void healthAfterStatus(
      ArgoCd.Application app,
      String kind,
      String name,
      String fields,
      String type,
      String reason,
      String message) {
    List<String> before = status(app, kind, name);
    setConditions(kind, name, fields, condition(type, reason, message));
    app.await(
        kind + " " + name + " health changed from " + before,
        ArgoCd.DEFAULT_TIMEOUT,
        s -> !before.equals(status(s, kind, name)));
  }

  private static List<String> status(ArgoCd.Application app, String kind, String name) {
    return status(app.status(), kind, name);
  }

  private static List<String> status(AppStatus status, String kind, String name) {
    return status.resources().stream()
        .filter(r -> r.kind().equals(kind) && r.name().equals(name))
        .map(r -> Arrays.asList(r.health(), r.healthMessage()))
        .findFirst()
        .orElse(List.of());
  }

  @Test
  void anUnhealthyEarlierSyncWaveHoldsTheDeploymentAndADegradedOneFailsTheSync() {
    String first =
        git.write("app/upgrade.yaml", upgrade("to-1-6-3", "1.6.3", "-1"))
            .write("app/server.yaml", deployment("server", "registry.invalid/server:1.6.3", "0"))
            .commit("Upgrade to 1.6.3");
    // Automated syncs retry a failed sync 5 times by default, the last after minutes: fewer,
    // sooner.
    ArgoCd.Application app =
        argo.create(
            appName("waves"), ArgoCd.Sync.of(git, "app", ns()).withRetry(2, Duration.ofSeconds(1)));

    // Wave -1 is applied, then the sync waits for its health: the Deployment is not applied.
    app.await(
        "a running sync with the MetadataUpgrade Progressing",
        ArgoCd.DEFAULT_TIMEOUT,
        s -> "Running".equals(s.operationPhase()) && upgrades().withName("to-1-6-3").get() != null);
    sleep(Duration.ofSeconds(12)); // two of the controller's 5 s re-checks of a running sync
    assertThat(deployments().withName("server").get()).as("Deployment of wave 0").isNull();
    assertThat(app.status().operationPhase()).isEqualTo("Running");

    long start = System.nanoTime();
    setConditions(
        "MetadataUpgrade",
        "to-1-6-3",
        "{\"phase\":\"Succeeded\",\"toVersion\":\"1.6.3\"}",
        condition("Succeeded", "Verified", "serving 1.6.3"));
    AppStatus synced = app.awaitSyncedAndHealthy(first);
    report("wave -1 turning Healthy to the sync Succeeded (Deployment applied)", start);
    assertThat(synced.operationPhase()).isEqualTo("Succeeded");
    assertThat(image("server")).isEqualTo("registry.invalid/server:1.6.3");

    // The next upgrade: a new MetadataUpgrade (the old one is pruned) and a new image.
    git.delete("app/upgrade.yaml")
        .write("app/upgrade-1-6-4.yaml", upgrade("to-1-6-4", "1.6.4", "-1"))
        .write("app/server.yaml", deployment("server", "registry.invalid/server:1.6.4", "0"))
        .commit("Upgrade to 1.6.4");
    app.refresh();
    app.await(
        "a running sync with the new MetadataUpgrade created",
        ArgoCd.DEFAULT_TIMEOUT,
        s -> "Running".equals(s.operationPhase()) && upgrades().withName("to-1-6-4").get() != null);
    start = System.nanoTime();
    setConditions(
        "MetadataUpgrade",
        "to-1-6-4",
        "{\"phase\":\"RolledBack\"}",
        condition("RolledBack", "MigrationFailed", "restored 1.6.3"));
    AppStatus failed = app.awaitOperationPhase("Failed");
    report("wave -1 turning Degraded to the sync Failed after 2 retries", start);
    assertThat(failed.result("MetadataUpgrade", "to-1-6-4"))
        .hasValueSatisfying(
            r -> {
              assertThat(r.phase()).isEqualTo("Failed");
              assertThat(r.message()).isEqualTo("MigrationFailed: restored 1.6.3");
            });
    assertThat(failed.retryCount()).isEqualTo(2);
    assertThat(failed.operationMessage())
        .contains("one or more synchronization tasks completed unsuccessfully");
    assertThat(image("server")).as("wave 0 not applied").isEqualTo("registry.invalid/server:1.6.3");
  }

  // ------------------------------------------------------------------ manifests in Git

  private static String configMap(String name, String value) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: %s
        data:
          settings: "%s"
        """
        .formatted(name, value);
  }

  private static String deployment(String name, String image, String wave) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: %1$s
          annotations:
            argocd.argoproj.io/sync-wave: "%3$s"
        spec:
          replicas: 1
          selector:
            matchLabels:
              app: %1$s
          template:
            metadata:
              labels:
                app: %1$s
            spec:
              containers:
              - name: server
                image: %2$s
        """
        .formatted(name, image, wave.isEmpty() ? "0" : wave);
  }

  private static String backup(String name) {
    return """
        apiVersion: metadataops.io/v1alpha1
        kind: MetadataBackup
        metadata:
          name: %s
        spec:
          source:
            server:
              deploymentName: server
          storage:
            persistentVolumeClaim:
              claimName: backups
        """
        .formatted(name);
  }

  private static String upgrade(String name, String version, String wave) {
    return """
        apiVersion: metadataops.io/v1alpha1
        kind: MetadataUpgrade
        metadata:
          name: %s
          annotations:
            argocd.argoproj.io/sync-wave: "%s"
        spec:
          server:
            deploymentName: server
          targetVersion: %s
          backup:
            storage:
              persistentVolumeClaim:
                claimName: backups
        """
        .formatted(name, wave.isEmpty() ? "0" : wave, version);
  }

  // ------------------------------------------------------------------ cluster reads and writes

  private String ns() {
    return namespace.name();
  }

  private String appName(String suffix) {
    return ns() + "-" + suffix;
  }

  private static String condition(String type, String reason, String message) {
    return "{\"type\":\"%s\",\"status\":\"True\",\"reason\":\"%s\",\"message\":\"%s\",\"lastTransitionTime\":\"2026-01-01T00:00:00Z\"}"
        .formatted(type, reason, message);
  }

  /** Writes status.conditions (and the other status fields given) as the operator would. */
  private void setConditions(String kind, String name, String fields, String condition) {
    String status = fields.substring(0, fields.length() - 1);
    status += (status.length() > 1 ? "," : "") + "\"conditions\":[" + condition + "]}";
    namespace
        .client()
        .genericKubernetesResources("metadataops.io/v1alpha1", kind)
        .inNamespace(ns())
        .withName(name)
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":" + status + "}");
  }

  private NonNamespaceOperation<Deployment, DeploymentList, RollableScalableResource<Deployment>>
      deployments() {
    return namespace.client().apps().deployments().inNamespace(ns());
  }

  private NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      upgrades() {
    return namespace
        .client()
        .genericKubernetesResources("metadataops.io/v1alpha1", "MetadataUpgrade")
        .inNamespace(ns());
  }

  private ConfigMap configMap(String name) {
    return namespace.client().configMaps().inNamespace(ns()).withName(name).get();
  }

  private String image(String deployment) {
    return deployments()
        .withName(deployment)
        .get()
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getImage();
  }

  private void awaitImage(String deployment, String image) {
    long deadline = System.nanoTime() + ArgoCd.DEFAULT_TIMEOUT.toNanos();
    while (!image.equals(image(deployment))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "Deployment %s not back at %s within %s; Argo CD controller log about it:%n%s"
                .formatted(deployment, image, ArgoCd.DEFAULT_TIMEOUT, argo.controllerLog(ns())));
      }
      sleep(Duration.ofMillis(100));
    }
  }

  private static void report(String what, long startNanos) {
    System.out.printf("[argocd] %s: %d ms%n", what, (System.nanoTime() - startNanos) / 1_000_000);
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
