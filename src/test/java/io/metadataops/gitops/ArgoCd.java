package io.metadataops.gitops;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.metadataops.testing.HackScript;
import io.metadataops.testing.LocalCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The real Argo CD of hack/argocd (application controller and repo server running as local
 * processes against the local control plane), as GitOps tests drive it: Applications that sync a
 * {@link GitRepository} into a namespace with automated sync, prune and self-heal, and waits on
 * what Argo CD reports in their status.
 *
 * <pre>{@code
 * try (ArgoCd argo = ArgoCd.start(); GitRepository git = GitRepository.create()) {
 *   String sha = git.write("app/cm.yaml", yaml).commit("first");
 *   ArgoCd.Application app = argo.create("my-app", ArgoCd.Sync.of(git, "app", namespace));
 *   app.awaitSyncedAndHealthy(sha);
 * }
 * }</pre>
 *
 * <p>Closing the handle deletes the Applications it created and, through Argo CD's resources
 * finalizer, what they deployed. Argo CD compares with Git every reconciliation period of up.sh (10
 * s); {@link Application#refresh()} asks for a comparison at once, as a Git webhook would.
 */
public final class ArgoCd implements AutoCloseable {

  /** Every wait of this class gives up after this long unless told otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(90);

  private static final String API_VERSION = "argoproj.io/v1alpha1";
  private static final String IN_CLUSTER = "https://kubernetes.default.svc";
  private static final int LOG_LINES = 40;

  private final KubernetesClient client;
  private final Map<String, String> state;
  private final List<Application> created = new ArrayList<>();

  private ArgoCd(KubernetesClient client, Map<String, String> state) {
    this.client = client;
    this.state = state;
  }

  /**
   * Starts Argo CD with hack/argocd/up.sh (idempotent: about a second when it already runs; builds
   * it on first use, about 9 minutes) and connects to it through the cluster tier's client.
   */
  public static ArgoCd start() {
    List<String> out = HackScript.run("hack/argocd/up.sh");
    Map<String, String> state = readState(Path.of(out.get(out.size() - 1).trim()));
    Path ours = Path.of(LocalCluster.kubeconfigPath()).toAbsolutePath().normalize();
    Path argos = Path.of(state.get("KUBECONFIG")).toAbsolutePath().normalize();
    if (!ours.equals(argos)) {
      throw new IllegalStateException(
          "Argo CD (hack/argocd) runs against the cluster of "
              + argos
              + " but the tests use "
              + ours
              + ": unset KUBECONFIG or point it at the local control plane");
    }
    return new ArgoCd(LocalCluster.client(), state);
  }

  private static Map<String, String> readState(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
          .filter(line -> !line.startsWith("#") && line.contains("="))
          .collect(
              Collectors.toMap(
                  line -> line.substring(0, line.indexOf('=')),
                  line -> line.substring(line.indexOf('=') + 1)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the state hack/argocd/up.sh left in " + file, e);
    }
  }

  /** The namespace of Argo CD's configuration and Applications. */
  public String namespace() {
    return state.get("ARGOCD_NAMESPACE");
  }

  /**
   * The last lines of the application controller's log that contain {@code text} (its lines about
   * one Application contain {@code application=<name>}).
   */
  public String controllerLog(String text) {
    Path log = Path.of(state.get("CONTROLLER_LOG"));
    try {
      List<String> lines =
          Files.readAllLines(log, StandardCharsets.UTF_8).stream()
              .filter(line -> line.contains(text))
              .toList();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  /**
   * What an Application syncs and how: {@code path} of the repository's {@value
   * GitRepository#BRANCH} branch into {@code namespace} of the in-cluster destination, with
   * automated sync, prune and self-heal, plus optional sync options, ignored differences and a
   * retry policy (Argo CD's defaults without one).
   */
  public record Sync(
      String repoUrl,
      String path,
      String namespace,
      List<String> syncOptions,
      List<Map<String, Object>> ignoreDifferences,
      Map<String, Object> retry) {

    public static Sync of(GitRepository repository, String path, String namespace) {
      return new Sync(repository.url(), path, namespace, List.of(), List.of(), null);
    }

    /** Sync options such as {@code RespectIgnoreDifferences=true}. */
    public Sync withSyncOptions(String... options) {
      return new Sync(repoUrl, path, namespace, List.of(options), ignoreDifferences, retry);
    }

    /**
     * Entries of spec.ignoreDifferences, for example {@code Map.of("group", "apps", "kind",
     * "Deployment", "jsonPointers", List.of("/spec/template/spec/containers/0/image"))}.
     */
    @SafeVarargs
    public final Sync withIgnoreDifferences(Map<String, Object>... entries) {
      return new Sync(repoUrl, path, namespace, syncOptions, List.of(entries), retry);
    }

    /** spec.syncPolicy.retry: at most {@code limit} retries, the first after {@code backoff}. */
    public Sync withRetry(int limit, Duration backoff) {
      return new Sync(
          repoUrl,
          path,
          namespace,
          syncOptions,
          ignoreDifferences,
          Map.of(
              "limit",
              limit,
              "backoff",
              Map.of("duration", backoff.toSeconds() + "s", "factor", 2, "maxDuration", "3m")));
    }
  }

  /** Creates an Application in Argo CD's namespace; {@link #close()} deletes it. */
  public Application create(String name, Sync sync) {
    Map<String, Object> syncPolicy = new LinkedHashMap<>();
    syncPolicy.put("automated", Map.of("prune", true, "selfHeal", true));
    syncPolicy.put("syncOptions", sync.syncOptions());
    if (sync.retry() != null) {
      syncPolicy.put("retry", sync.retry());
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("project", "default");
    spec.put(
        "source",
        Map.of(
            "repoURL", sync.repoUrl(),
            "targetRevision", GitRepository.BRANCH,
            "path", sync.path()));
    spec.put("destination", Map.of("server", IN_CLUSTER, "namespace", sync.namespace()));
    spec.put("syncPolicy", syncPolicy);
    spec.put("ignoreDifferences", sync.ignoreDifferences());
    GenericKubernetesResource app =
        new GenericKubernetesResourceBuilder()
            .withApiVersion(API_VERSION)
            .withKind("Application")
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace())
            // Deleting the Application deletes what it deployed: the next test starts clean.
            .withFinalizers("resources-finalizer.argocd.argoproj.io")
            .endMetadata()
            .addToAdditionalProperties("spec", spec)
            .build();
    client.resource(app).create();
    Application handle = new Application(name);
    created.add(handle);
    return handle;
  }

  /**
   * Deletes the Applications this handle created so far and waits until they are gone, with what
   * they deployed (Argo CD deletes it before it lets an Application go).
   */
  public void deleteApplications() {
    created.forEach(Application::delete);
    created.clear();
  }

  /** Deletes the Applications this handle created; Argo CD keeps running for other tests. */
  @Override
  public void close() {
    deleteApplications();
  }

  /** One Application, read from the API server on every call. */
  public final class Application {

    private final String name;

    private Application(String name) {
      this.name = name;
    }

    public String name() {
      return name;
    }

    /** The Application object as Argo CD last wrote it. */
    public GenericKubernetesResource get() {
      return client
          .genericKubernetesResources(API_VERSION, "Application")
          .inNamespace(namespace())
          .withName(name)
          .get();
    }

    /** What Argo CD reports now. */
    public AppStatus status() {
      GenericKubernetesResource app = get();
      if (app == null) {
        throw new IllegalStateException("Application " + name + " does not exist");
      }
      return AppStatus.of(app);
    }

    /**
     * Asks Argo CD to compare with Git now (annotation {@code argocd.argoproj.io/refresh: normal},
     * what a Git webhook triggers) instead of at the next reconciliation period.
     */
    public void refresh() {
      client
          .genericKubernetesResources(API_VERSION, "Application")
          .inNamespace(namespace())
          .withName(name)
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"metadata\":{\"annotations\":{\"argocd.argoproj.io/refresh\":\"normal\"}}}");
    }

    /**
     * Waits until Argo CD reports Synced to {@code revision} and Healthy, with the last sync
     * operation Succeeded (Argo CD writes the sync status before the operation ends).
     */
    public AppStatus awaitSyncedAndHealthy(String revision) {
      return await(
          "Synced to " + revision + ", Healthy, operation Succeeded",
          DEFAULT_TIMEOUT,
          s ->
              "Synced".equals(s.sync())
                  && revision.equals(s.revision())
                  && s.is("Healthy")
                  && "Succeeded".equals(s.operationPhase()));
    }

    /** Waits until the Application's health is {@code health} (Healthy, Progressing, Degraded). */
    public AppStatus awaitHealth(String health) {
      return await("health " + health, DEFAULT_TIMEOUT, s -> s.is(health));
    }

    /**
     * Waits until the last sync operation has {@code phase} (Running, Succeeded, Failed, Error,
     * Terminating).
     */
    public AppStatus awaitOperationPhase(String phase) {
      return await("operation " + phase, DEFAULT_TIMEOUT, s -> phase.equals(s.operationPhase()));
    }

    /**
     * Waits until {@code condition} holds for the reported status; on timeout fails with the last
     * status and the controller's log lines about this Application.
     */
    public AppStatus await(String what, Duration timeout, Predicate<AppStatus> condition) {
      long deadline = System.nanoTime() + timeout.toNanos();
      AppStatus last = null;
      while (true) {
        GenericKubernetesResource app = get();
        if (app != null) {
          last = AppStatus.of(app);
          if (condition.test(last)) {
            return last;
          }
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "Application %s: not %s within %s.%nLast status: %s%nArgo CD controller log about it (%s):%n%s"
                  .formatted(
                      name,
                      what,
                      timeout,
                      last,
                      state.get("CONTROLLER_LOG"),
                      controllerLog("application=" + name)));
        }
        sleep();
      }
    }

    private void delete() {
      var resource =
          client
              .genericKubernetesResources(API_VERSION, "Application")
              .inNamespace(namespace())
              .withName(name);
      GenericKubernetesResource app = resource.get();
      if (app != null && "Running".equals(AppStatus.of(app).operationPhase())) {
        // Argo CD finalizes no Application while its sync runs (a failed one waiting for its
        // next retry included): terminate it, as `argocd app terminate-op` does.
        resource.patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"status\":{\"operationState\":{\"phase\":\"Terminating\"}}}");
      }
      resource.delete();
      resource.waitUntilCondition(Objects::isNull, 1, TimeUnit.MINUTES);
    }
  }

  /**
   * An Application's status: sync status and revision, health, the last operation's phase, message
   * and retry count, and each managed resource.
   */
  public record AppStatus(
      String sync,
      String revision,
      String health,
      String operationPhase,
      String operationMessage,
      long retryCount,
      List<Resource> resources,
      List<Result> results) {

    static AppStatus of(GenericKubernetesResource app) {
      Map<String, Object> status = map(app.getAdditionalProperties().get("status"));
      Map<String, Object> sync = map(status.get("sync"));
      Map<String, Object> operation = map(status.get("operationState"));
      Map<String, Object> syncResult = map(operation.get("syncResult"));
      Object retries = operation.get("retryCount");
      return new AppStatus(
          (String) sync.get("status"),
          (String) sync.get("revision"),
          (String) map(status.get("health")).get("status"),
          (String) operation.get("phase"),
          (String) operation.get("message"),
          retries instanceof Number n ? n.longValue() : 0,
          list(status.get("resources")).stream().map(Resource::of).toList(),
          list(syncResult.get("resources")).stream().map(Result::of).toList());
    }

    /** Whether the Application's health is {@code health}. */
    public boolean is(String health) {
      return health.equals(this.health);
    }

    /** The managed resource of that kind and name. */
    public Resource resource(String kind, String name) {
      return resources.stream()
          .filter(r -> r.kind().equals(kind) && r.name().equals(name))
          .findFirst()
          .orElseThrow(
              () -> new AssertionError("Argo CD manages no " + kind + " " + name + ": " + this));
    }

    /** What the last sync operation did to the resource of that kind and name, if anything. */
    public Optional<Result> result(String kind, String name) {
      return results.stream()
          .filter(r -> r.kind().equals(kind) && r.name().equals(name))
          .findFirst();
    }
  }

  /** A resource an Application manages, with its sync status, health and sync wave. */
  public record Resource(
      String kind, String name, String sync, String health, String healthMessage, long syncWave) {

    static Resource of(Object entry) {
      Map<String, Object> resource = map(entry);
      Map<String, Object> health = map(resource.get("health"));
      Object wave = resource.get("syncWave");
      return new Resource(
          (String) resource.get("kind"),
          (String) resource.get("name"),
          (String) resource.get("status"),
          (String) health.get("status"),
          (String) health.get("message"),
          wave instanceof Number n ? n.longValue() : 0);
    }
  }

  /**
   * What the last sync operation did to one resource (status.operationState.syncResult.resources):
   * its result (Synced, SyncFailed, Pruned, ...), its phase in the operation (Running, Succeeded,
   * Failed: a resource of an earlier wave that turns Degraded fails with its health message) and
   * the message.
   */
  public record Result(String kind, String name, String status, String phase, String message) {

    static Result of(Object entry) {
      Map<String, Object> result = map(entry);
      return new Result(
          (String) result.get("kind"),
          (String) result.get("name"),
          (String) result.get("status"),
          (String) result.get("hookPhase"),
          (String) result.get("message"));
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static List<Object> list(Object value) {
    return value instanceof List<?> l ? new ArrayList<>(l) : List.of();
  }

  private static void sleep() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Argo CD", e);
    }
  }
}
