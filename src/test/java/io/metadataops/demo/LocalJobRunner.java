package io.metadataops.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo's local Job runner (a development tool, never part of the operator). Pods on the
 * simulated node are never run by kwok; this runner takes the Job pods labelled {@code
 * sim.metadataops.io/runner=local} (which also carry {@code sim.metadataops.io/outcome=hang}, so
 * kwok marks them Running and never completes them), really runs their command on this machine, and
 * writes the outcome back into the pod status like a kubelet: phase Succeeded/Failed, the container
 * terminated with the real exit code and the termination message (the engine's {@code
 * --result-file}). The Job controller and the operator then see a real outcome.
 *
 * <ul>
 *   <li>Engine pods (container {@code engine}): {@code java -jar <quarkus-run.jar> <args>} with the
 *       pod's environment resolved exactly (values, Secret and ConfigMap references, {@code $(VAR)}
 *       expansion), each volume mount mapped to a local directory (a PersistentVolumeClaim to
 *       {@code <state>/volumes/<namespace>/<claim>}) and {@code /dev/termination-log} to a local
 *       file.
 *   <li>Migration pods (container {@code migrate}, the OpenMetadata server image): a stand-in for
 *       {@code openmetadata-ops.sh migrate} that really changes the database over JDBC: the 1.5
 *       data migration "owner -> owners" on entity JSON, then SERVER_CHANGE_LOG rows for the target
 *       version. With {@code --fail-migrations} it migrates half of the rows and then fails (exit
 *       1), leaving a half-migrated database as a real failed migration does.
 *   <li>Reindex pods (container {@code reindex}, the server image): the {@code reindex} given to
 *       {@link #start}, the stand-in's {@code openmetadata-ops.sh reindex}; without one they fail.
 * </ul>
 *
 * It also serves the stand-in server's version endpoint on 127.0.0.1:8585: {@code GET
 * /api/v1/system/version} for the Host {@code <deployment>.<namespace>.svc} answers {@code
 * {"version": "<tag of the Deployment's image>"}} once that Deployment's rollout is complete and it
 * has replicas, and 503 otherwise (the operator resolves {@code *.svc} to 127.0.0.1 through a hosts
 * file, see hack/demo/demo.sh).
 *
 * <p>Usage: {@code LocalJobRunner --jar <quarkus-run.jar> --state <dir> [--port 8585]
 * [--fail-migrations]}; KUBECONFIG selects the cluster (admin credentials: it reads Secrets).
 *
 * <p>The end-to-end tests on the local control plane use it in-process ({@link #start}): their own
 * runner label value and namespace, so they never take the demo's pods nor it theirs, and the
 * stand-in server's migration (io.metadataops.e2e.standin) instead of the demo's.
 */
public final class LocalJobRunner implements AutoCloseable {

  /** The pod label that hands a Job pod to a runner; its value names the runner. */
  public static final String RUNNER_LABEL = "sim.metadataops.io/runner";

  static final String SELECTOR = RUNNER_LABEL + "=local";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern VAR_REF = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_.-]*)\\)");

  private final KubernetesClient client;
  private final Path jar;
  private final Path state;
  private final boolean failMigrations;
  private final String runner;
  private final String namespace;
  private final Migration migration;
  private final Migration reindex;
  private final Set<String> started = ConcurrentHashMap.newKeySet();
  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private volatile boolean stopped;
  private Thread loopThread;

  /** What a migration pod does, given its resolved environment and its image's tag. */
  @FunctionalInterface
  public interface Migration {
    Outcome run(Map<String, String> env, String imageTag);
  }

  LocalJobRunner(KubernetesClient client, Path jar, Path state, boolean failMigrations) {
    this(client, jar, state, failMigrations, "local", null, null, null);
  }

  private LocalJobRunner(
      KubernetesClient client,
      Path jar,
      Path state,
      boolean failMigrations,
      String runner,
      String namespace,
      Migration migration,
      Migration reindex) {
    this.client = client;
    this.jar = jar;
    this.state = state;
    this.failMigrations = failMigrations;
    this.runner = runner;
    this.namespace = namespace;
    this.migration = migration;
    this.reindex = reindex;
  }

  /**
   * Runs, in a background thread of this JVM, the pods of {@code namespace} labelled {@link
   * #RUNNER_LABEL}={@code runner}: engine pods with {@code jar}, migration pods with {@code
   * migration}, reindex pods with {@code reindex}. Volumes and logs live under {@code state}.
   */
  public static LocalJobRunner start(
      KubernetesClient client,
      Path jar,
      Path state,
      String runner,
      String namespace,
      Migration migration,
      Migration reindex) {
    LocalJobRunner localRunner =
        new LocalJobRunner(
            client, jar.toAbsolutePath(), state, false, runner, namespace, migration, reindex);
    localRunner.loopThread =
        new Thread(
            () -> {
              try {
                localRunner.loop();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "local-job-runner-" + runner);
    localRunner.loopThread.setDaemon(true);
    localRunner.loopThread.start();
    return localRunner;
  }

  /** The local directory a PersistentVolumeClaim of a pod in {@code namespace} maps to. */
  public Path claimDirectory(String namespace, String claim) {
    return state.resolve("volumes").resolve(namespace).resolve(claim);
  }

  @Override
  public void close() {
    stopped = true;
    if (loopThread != null) {
      loopThread.interrupt();
    }
    pool.shutdownNow();
  }

  public static void main(String[] args) throws Exception {
    Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
    Path state = Path.of(System.getProperty("user.home"), ".cache/metadataops/demo");
    int port = 8585;
    boolean fail = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--jar" -> jar = Path.of(args[++i]);
        case "--state" -> state = Path.of(args[++i]);
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--fail-migrations" -> fail = true;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    KubernetesClient client = new KubernetesClientBuilder().build();
    LocalJobRunner runner = new LocalJobRunner(client, jar.toAbsolutePath(), state, fail);
    runner.serveVersionEndpoint(port);
    log(
        "watching pods labelled %s (engine: %s, migrations %s); version endpoint on 127.0.0.1:%d",
        SELECTOR, jar, fail ? "FAIL (rollback scenario)" : "succeed", port);
    runner.loop();
  }

  private void loop() throws InterruptedException {
    while (!stopped) {
      try {
        var pods =
            namespace == null
                ? client.pods().inAnyNamespace()
                : client.pods().inNamespace(namespace);
        for (Pod pod : pods.withLabel(RUNNER_LABEL, runner).list().getItems()) {
          String uid = pod.getMetadata().getUid();
          boolean running =
              pod.getStatus() != null
                  && "Running".equals(pod.getStatus().getPhase())
                  && pod.getMetadata().getDeletionTimestamp() == null;
          if (running && started.add(uid)) {
            pool.submit(() -> handle(pod));
          }
        }
      } catch (KubernetesClientException e) {
        log("listing pods failed: %s", e.getMessage());
      }
      TimeUnit.MILLISECONDS.sleep(500);
    }
  }

  private void handle(Pod pod) {
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    Container container = pod.getSpec().getContainers().get(0);
    Instant startedAt = Instant.now();
    Outcome outcome;
    try {
      Map<String, String> env = resolveEnv(ns, container);
      if ("migrate".equals(container.getName())) {
        log("%s/%s: stand-in migration for image %s", ns, name, container.getImage());
        outcome =
            migration == null
                ? migrate(env, tag(container.getImage()), name)
                : migration.run(env, tag(container.getImage()));
      } else if ("reindex".equals(container.getName())) {
        log("%s/%s: stand-in reindex for image %s", ns, name, container.getImage());
        outcome =
            reindex == null
                ? new Outcome(1, "this runner has no stand-in for openmetadata-ops.sh reindex")
                : reindex.run(env, tag(container.getImage()));
      } else {
        outcome = runEngine(pod, container, env);
      }
    } catch (Exception e) {
      outcome = new Outcome(128, "runner error: " + e);
    }
    log("%s/%s: exit %d %s", ns, name, outcome.exitCode(), abbreviate(outcome.message()));
    report(pod, container, outcome, startedAt);
  }

  /** How a pod ended: its container's exit code and termination message. */
  public record Outcome(int exitCode, String message) {}

  // ---- engine pods -------------------------------------------------------------------------

  private Outcome runEngine(Pod pod, Container container, Map<String, String> env)
      throws IOException, InterruptedException {
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    Map<String, Path> mounts = new LinkedHashMap<>();
    for (VolumeMount m : container.getVolumeMounts()) {
      Volume v =
          pod.getSpec().getVolumes().stream()
              .filter(x -> x.getName().equals(m.getName()))
              .findFirst()
              .orElseThrow();
      Path local;
      if (v.getPersistentVolumeClaim() != null) {
        local = claimDirectory(ns, v.getPersistentVolumeClaim().getClaimName());
      } else {
        local = state.resolve("tmp").resolve(name).resolve(m.getName());
      }
      if (m.getSubPath() != null && !m.getSubPath().isEmpty()) {
        local = local.resolve(m.getSubPath());
      }
      Files.createDirectories(local);
      mounts.put(m.getMountPath(), local);
    }
    Path logs = state.resolve("logs");
    Files.createDirectories(logs);
    Path resultFile = state.resolve("tmp").resolve(name).resolve("termination-log");
    Files.createDirectories(resultFile.getParent());
    Files.deleteIfExists(resultFile);
    String messagePath =
        container.getTerminationMessagePath() == null
            ? "/dev/termination-log"
            : container.getTerminationMessagePath();
    List<String> command = new ArrayList<>(List.of("java", "-jar", jar.toString()));
    for (String arg : container.getArgs()) {
      String expanded = expand(arg, env);
      if (expanded.equals(messagePath)) {
        command.add(resultFile.toString());
      } else {
        command.add(mapPath(expanded, mounts));
      }
    }
    Path logFile = logs.resolve(ns + "_" + name + ".log");
    log("%s/%s: running %s (log %s)", ns, name, String.join(" ", command), logFile);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().clear();
    pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    pb.redirectOutput(logFile.toFile());
    Process process = pb.start();
    int exit = process.waitFor();
    String message = Files.exists(resultFile) ? Files.readString(resultFile).trim() : "";
    if (message.isEmpty() && exit != 0) {
      // terminationMessagePolicy FallbackToLogsOnError: the tail of the log.
      List<String> lines = Files.readAllLines(logFile);
      message = String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
    // The message speaks of the pod's paths (/backups/...), as it would in a cluster.
    for (Map.Entry<String, Path> m : mounts.entrySet()) {
      message = message.replace(m.getValue().toString(), m.getKey().replaceAll("/$", ""));
    }
    return new Outcome(exit, message);
  }

  static String mapPath(String arg, Map<String, Path> mounts) {
    for (Map.Entry<String, Path> m : mounts.entrySet()) {
      String mount = m.getKey().endsWith("/") ? m.getKey() : m.getKey() + "/";
      int at = arg.indexOf(mount);
      if (arg.equals(m.getKey())) {
        return m.getValue().toString();
      }
      if (at >= 0) {
        return arg.substring(0, at) + m.getValue() + "/" + arg.substring(at + mount.length());
      }
    }
    return arg;
  }

  // ---- migration pods (stand-in for openmetadata-ops.sh migrate) ---------------------------

  private Outcome migrate(Map<String, String> env, String version, String podName) {
    String url =
        "jdbc:%s://%s:%s/%s%s"
            .formatted(
                "postgresql".equals(env.get("DB_SCHEME")) ? "postgresql" : "mysql",
                env.get("DB_HOST"),
                env.get("DB_PORT"),
                env.get("OM_DATABASE"),
                env.getOrDefault("DB_PARAMS", "").isEmpty() ? "" : "?" + env.get("DB_PARAMS"));
    StringBuilder out = new StringBuilder();
    try (Connection c =
            DriverManager.getConnection(url, env.get("DB_USER"), env.get("DB_USER_PASSWORD"));
        Statement st = c.createStatement()) {
      out.append("Migrating to ").append(version).append('\n');
      List<String[]> rows = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("SELECT id, json FROM table_entity ORDER BY id")) {
        while (rs.next()) {
          rows.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
      int limit = failMigrations ? rows.size() / 2 : rows.size();
      int changed = 0;
      try (PreparedStatement ps =
          c.prepareStatement("UPDATE table_entity SET json = ? WHERE id = ?")) {
        for (int i = 0; i < limit; i++) {
          ObjectNode json = (ObjectNode) JSON.readTree(rows.get(i)[1]);
          if (json.has("owner")) {
            ArrayNode owners = json.putArray("owners");
            owners.add(json.remove("owner"));
            ps.setString(1, JSON.writeValueAsString(json));
            ps.setString(2, rows.get(i)[0]);
            ps.executeUpdate();
            changed++;
          }
        }
      }
      out.append("table_entity: owner -> owners in ").append(changed).append(" rows\n");
      if (failMigrations) {
        String msg =
            "Migration %s failed after %d of %d table_entity rows: simulated failure (demo --rollback);"
                    .formatted(version, changed, rows.size())
                + " the database is half-migrated";
        out.append(msg).append('\n');
        writeLog(podName, out.toString());
        return new Outcome(1, msg);
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO SERVER_CHANGE_LOG (version, migrationFileName, checksum, installed_on)"
                  + " VALUES (?, ?, ?, CURRENT_TIMESTAMP)")) {
        for (String v : List.of("1.5.0", version)) {
          ps.setString(1, v);
          ps.setString(2, "bootstrap/sql/migrations/native/" + v + "/mysql/schemaChanges.sql");
          ps.setString(3, Integer.toHexString(v.hashCode()));
          ps.executeUpdate();
          if (v.equals(version)) {
            break;
          }
        }
      }
      out.append("SERVER_CHANGE_LOG: recorded ").append(version).append('\n');
      writeLog(podName, out.toString());
      return new Outcome(0, "");
    } catch (SQLException | IOException e) {
      writeLog(podName, out + e.toString());
      return new Outcome(1, "migration failed: " + e.getMessage());
    }
  }

  private void writeLog(String podName, String text) {
    try {
      Path logs = state.resolve("logs");
      Files.createDirectories(logs);
      Files.writeString(logs.resolve(podName + ".log"), text);
    } catch (IOException e) {
      log("cannot write log: %s", e);
    }
  }

  // ---- reporting, like a kubelet -----------------------------------------------------------

  private void report(Pod pod, Container container, Outcome outcome, Instant startedAt) {
    String now = Instant.now().toString();
    String message = outcome.message();
    if (message != null && message.length() > 4096) {
      message = message.substring(0, 4096); // the kubelet's limit
    }
    ContainerStatus status =
        new ContainerStatusBuilder()
            .withName(container.getName())
            .withImage(container.getImage())
            .withImageID("")
            .withReady(false)
            .withStarted(false)
            .withRestartCount(0)
            .withState(
                new ContainerStateBuilder()
                    .withNewTerminated()
                    .withExitCode(outcome.exitCode())
                    .withReason(outcome.exitCode() == 0 ? "Completed" : "Error")
                    .withMessage(message == null || message.isEmpty() ? null : message)
                    .withStartedAt(startedAt.toString())
                    .withFinishedAt(now)
                    .endTerminated()
                    .build())
            .build();
    String reason = outcome.exitCode() == 0 ? "PodCompleted" : "PodFailed";
    for (int attempt = 0; attempt < 10; attempt++) {
      try {
        Pod fresh =
            client
                .pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName())
                .get();
        if (fresh == null) {
          return;
        }
        List<PodCondition> conditions = new ArrayList<>();
        for (PodCondition c : fresh.getStatus().getConditions()) {
          if (!"Ready".equals(c.getType()) && !"ContainersReady".equals(c.getType())) {
            conditions.add(c);
          }
        }
        for (String type : List.of("Ready", "ContainersReady")) {
          conditions.add(
              new PodConditionBuilder()
                  .withType(type)
                  .withStatus("False")
                  .withReason(reason)
                  .withLastTransitionTime(now)
                  .build());
        }
        fresh.getStatus().setConditions(conditions);
        fresh.getStatus().setContainerStatuses(List.of(status));
        fresh.getStatus().setPhase(outcome.exitCode() == 0 ? "Succeeded" : "Failed");
        client.pods().resource(fresh).updateStatus();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          log("reporting %s failed: %s", pod.getMetadata().getName(), e.getMessage());
        }
      }
    }
  }

  // ---- the stand-in server's version endpoint ----------------------------------------------

  private void serveVersionEndpoint(int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
    server.createContext("/api/v1/system/version", this::version);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
  }

  private void version(HttpExchange exchange) throws IOException {
    String host = exchange.getRequestHeaders().getFirst("Host");
    int code = 503;
    String body;
    String[] parts = host == null ? new String[0] : host.split(":")[0].split("\\.");
    if (parts.length >= 3 && "svc".equals(parts[2])) {
      Deployment d = client.apps().deployments().inNamespace(parts[1]).withName(parts[0]).get();
      if (d == null) {
        body = "{\"code\":503,\"message\":\"no Deployment " + parts[0] + "\"}";
      } else if (!rolledOut(d)) {
        body =
            "{\"code\":503,\"message\":\"server not available (rollout in progress or scaled to zero)\"}";
      } else {
        code = 200;
        body =
            "{\"version\":\"%s\",\"revision\":\"stand-in\",\"timestamp\":%d}"
                .formatted(
                    tag(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()),
                    System.currentTimeMillis());
      }
    } else {
      body = "{\"code\":503,\"message\":\"unknown host " + host + "\"}";
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(bytes);
    }
  }

  static boolean rolledOut(Deployment d) {
    var spec = d.getSpec();
    var status = d.getStatus();
    int replicas = spec.getReplicas() == null ? 1 : spec.getReplicas();
    return replicas > 0
        && status != null
        && status.getObservedGeneration() != null
        && status.getObservedGeneration() >= d.getMetadata().getGeneration()
        && nz(status.getUpdatedReplicas()) == replicas
        && nz(status.getAvailableReplicas()) == replicas
        && nz(status.getReplicas()) == replicas;
  }

  private static int nz(Integer i) {
    return i == null ? 0 : i;
  }

  static String tag(String image) {
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    return colon > slash ? image.substring(colon + 1) : "latest";
  }

  // ---- environment, as the kubelet builds it -----------------------------------------------

  private Map<String, String> resolveEnv(String ns, Container container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvFromSource from : container.getEnvFrom()) {
      String prefix = from.getPrefix() == null ? "" : from.getPrefix();
      if (from.getConfigMapRef() != null) {
        ConfigMap cm =
            client.configMaps().inNamespace(ns).withName(from.getConfigMapRef().getName()).get();
        if (cm != null && cm.getData() != null) {
          cm.getData().forEach((k, v) -> env.put(prefix + k, v));
        }
      }
      if (from.getSecretRef() != null) {
        Secret s = client.secrets().inNamespace(ns).withName(from.getSecretRef().getName()).get();
        if (s != null && s.getData() != null) {
          s.getData().forEach((k, v) -> env.put(prefix + k, decode(v)));
        }
      }
    }
    for (EnvVar var : container.getEnv()) {
      if (var.getValueFrom() == null) {
        env.put(var.getName(), expand(var.getValue() == null ? "" : var.getValue(), env));
      } else if (var.getValueFrom().getSecretKeyRef() != null) {
        var ref = var.getValueFrom().getSecretKeyRef();
        Secret s = client.secrets().inNamespace(ns).withName(ref.getName()).get();
        if (s == null || s.getData() == null || !s.getData().containsKey(ref.getKey())) {
          throw new IllegalStateException(
              "secret " + ref.getName() + "/" + ref.getKey() + " not found");
        }
        env.put(var.getName(), decode(s.getData().get(ref.getKey())));
      } else if (var.getValueFrom().getConfigMapKeyRef() != null) {
        var ref = var.getValueFrom().getConfigMapKeyRef();
        ConfigMap cm = client.configMaps().inNamespace(ns).withName(ref.getName()).get();
        if (cm == null || cm.getData() == null || !cm.getData().containsKey(ref.getKey())) {
          throw new IllegalStateException(
              "configmap " + ref.getName() + "/" + ref.getKey() + " not found");
        }
        env.put(var.getName(), cm.getData().get(ref.getKey()));
      }
    }
    return env;
  }

  /** Kubernetes' $(VAR) expansion: defined variables are replaced, $$ escapes, others stay. */
  static String expand(String text, Map<String, String> env) {
    String escaped = text.replace("$$", "\u0000");
    Matcher m = VAR_REF.matcher(escaped);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String value = env.get(m.group(1));
      m.appendReplacement(sb, Matcher.quoteReplacement(value != null ? value : m.group()));
    }
    m.appendTail(sb);
    return sb.toString().replace("\u0000", "$");
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  private static String abbreviate(String s) {
    if (s == null) {
      return "";
    }
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }

  private static void log(String format, Object... args) {
    PrintWriter out = new PrintWriter(System.out, true);
    out.printf("%s runner: %s%n", Instant.now(), format.formatted(args));
  }
}
