package io.metadataops.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.metadataops.api.MetadataBackup;
import io.metadataops.api.MetadataBackupSpec;
import io.metadataops.api.shared.DatabaseSource;
import io.metadataops.api.shared.PersistentVolumeClaimStorage;
import io.metadataops.api.shared.StorageSpec;
import io.metadataops.testing.ClusterNamespace;
import io.metadataops.testing.LocalCluster;
import io.metadataops.testing.OpenMetadataFixture;
import io.metadataops.testing.Simulation;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Operator scale benchmark (`make bench-operator`): the packaged operator as its own process, with
 * the memory limit and JVM options of its Deployment, against the local control plane. Measures JVM
 * start to readiness, apply-to-Job latency, a burst of 200 backups, and resident memory with 1000
 * custom resources. Prints a Markdown table.
 */
public final class OperatorBenchmark {

  private static final int LATENCY_SAMPLES = 50;
  private static final int BURST = 200;
  private static final int TOTAL = 1000;

  private final KubernetesClient client = LocalCluster.client();
  private final String namespace = "bench-" + Long.toString(System.currentTimeMillis(), 36);
  private final Map<String, Long> jobSeenAt = new ConcurrentHashMap<>();
  private final AtomicInteger createErrors = new AtomicInteger();

  public static void main(String[] args) throws Exception {
    new OperatorBenchmark().run();
  }

  private void run() throws Exception {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    OpenMetadataFixture.install(new ClusterNamespace(client, namespace), "1.5.2", 1);
    Path log = Path.of("target/bench-operator.log");
    List<String> command = DeploymentJvm.command();
    System.out.println("operator: " + String.join(" ", command));
    long startNanos = System.nanoTime();
    Process operator =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try (Watch ignored = watchJobs()) {
      double startSeconds = awaitReady(startNanos);
      List<Double> latencies = latencies();
      double burstSeconds = burst();
      fill();
      Thread.sleep(10_000);
      long rssMiB = rssKiB(operator.pid()) / 1024;
      saveDiagnostics(operator.pid());
      long operatorErrors =
          Files.readAllLines(log).stream().filter(l -> l.contains("ERROR")).count();
      report(startSeconds, latencies, burstSeconds, rssMiB, operatorErrors);
    } finally {
      operator.destroy();
      if (!operator.waitFor(30, TimeUnit.SECONDS)) {
        operator.destroyForcibly();
      }
      client.namespaces().withName(namespace).delete();
    }
  }

  private Watch watchJobs() {
    return client
        .batch()
        .v1()
        .jobs()
        .inNamespace(namespace)
        .watch(
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, Job job) {
                jobSeenAt.putIfAbsent(job.getMetadata().getName(), System.nanoTime());
              }

              @Override
              public void onClose(WatcherException cause) {}
            });
  }

  private double awaitReady(long startNanos) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/q/health/ready")).build();
    for (int i = 0; i < 600; i++) {
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return (System.nanoTime() - startNanos) / 1e9;
        }
      } catch (IOException notYet) {
        // The HTTP server is not listening yet.
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(
        "the operator never became ready: see target/bench-operator.log");
  }

  private List<Double> latencies() throws Exception {
    List<Double> millis = new ArrayList<>();
    for (int i = 0; i < LATENCY_SAMPLES; i++) {
      String name = "latency-" + i;
      long created = create(name);
      millis.add((awaitJob(name) - created) / 1e6);
    }
    Collections.sort(millis);
    return millis;
  }

  private double burst() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    long start = System.nanoTime();
    List<Future<Long>> creations = new ArrayList<>();
    for (int i = 0; i < BURST; i++) {
      String name = "burst-" + i;
      creations.add(pool.submit(() -> create(name)));
    }
    for (Future<Long> creation : creations) {
      creation.get();
    }
    long last = 0;
    for (int i = 0; i < BURST; i++) {
      last = Math.max(last, awaitJob("burst-" + i));
    }
    pool.shutdown();
    return (last - start) / 1e9;
  }

  private void fill() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    int existing = LATENCY_SAMPLES + BURST;
    List<Future<Long>> creations = new ArrayList<>();
    for (int i = existing; i < TOTAL; i++) {
      String name = "fill-" + i;
      creations.add(pool.submit(() -> create(name)));
    }
    for (Future<Long> creation : creations) {
      creation.get();
    }
    for (int i = existing; i < TOTAL; i++) {
      awaitJob("fill-" + i);
    }
    pool.shutdown();
  }

  private long create(String name) {
    MetadataBackup backup = new MetadataBackup();
    backup.getMetadata().setName(name);
    MetadataBackupSpec spec = new MetadataBackupSpec();
    spec.source = DatabaseSource.ofServer(OpenMetadataFixture.SERVER);
    spec.storage = new StorageSpec();
    spec.storage.persistentVolumeClaim = new PersistentVolumeClaimStorage();
    spec.storage.persistentVolumeClaim.claimName = OpenMetadataFixture.CLAIM;
    spec.job.podAnnotations =
        Map.of(Simulation.TERMINATION_MESSAGE, "{\"status\":\"Succeeded\",\"sizeBytes\":1}");
    backup.setSpec(spec);
    // Taken before the request: the latency includes the apply's own round trip, as kubectl sees.
    long applied = System.nanoTime();
    try {
      client.resource(backup).inNamespace(namespace).create();
    } catch (RuntimeException e) {
      createErrors.incrementAndGet();
    }
    return applied;
  }

  private long awaitJob(String backup) throws InterruptedException {
    String job = backup + "-backup";
    for (int i = 0; i < 12_000; i++) {
      Long seen = jobSeenAt.get(job);
      if (seen != null) {
        return seen;
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException("no Job for " + backup + " within 60 s");
  }

  /**
   * Where the memory goes, measured after the RSS: the live heap by class (the histogram forces a
   * full collection) and, when the operator runs with native memory tracking
   * (JDK_JAVA_OPTIONS=-XX:NativeMemoryTracking=summary), the JVM's own areas.
   */
  private static void saveDiagnostics(long pid) throws IOException, InterruptedException {
    jcmd(pid, "target/bench-operator-memory.txt", "VM.native_memory", "summary");
    jcmd(pid, "target/bench-operator-heap.txt", "GC.class_histogram");
  }

  private static void jcmd(long pid, String output, String... command)
      throws IOException, InterruptedException {
    List<String> line = new ArrayList<>(List.of("jcmd", Long.toString(pid)));
    line.addAll(List.of(command));
    new ProcessBuilder(line)
        .redirectErrorStream(true)
        .redirectOutput(Path.of(output).toFile())
        .start()
        .waitFor();
  }

  private static long rssKiB(long pid) throws IOException {
    return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
        .filter(line -> line.startsWith("VmRSS:"))
        .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
        .findFirst()
        .orElseThrow();
  }

  private void report(
      double start, List<Double> latencies, double burst, long rssMiB, long operatorErrors) {
    double p50 = latencies.get(latencies.size() / 2);
    double p95 = latencies.get((int) Math.ceil(latencies.size() * 0.95) - 1);
    String table =
        String.join(
            "\n",
            "| Measure | Target | Measured |",
            "|---|---|---|",
            row("JVM start to ready (`/q/health/ready`)", "<= 3 s", "%.2f s".formatted(start)),
            row(
                "Apply to Job exists, p50 (" + LATENCY_SAMPLES + " sequential)",
                "",
                "%.0f ms".formatted(p50)),
            row("Apply to Job exists, p95", "<= 1 s", "%.0f ms".formatted(p95)),
            row(
                BURST + " MetadataBackups at once: all Jobs exist after",
                "",
                "%.1f s".formatted(burst)),
            row(
                "Errors (failed applies + operator ERROR log lines)",
                "0",
                Long.toString(createErrors.get() + operatorErrors)),
            row(
                "Operator RSS with " + TOTAL + " MetadataBackups (and their Jobs)",
                "<= 256 MB",
                rssMiB + " MiB"));
    System.out.println(table);
    try {
      Files.writeString(Path.of("target/bench-operator.md"), table + "\n");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String row(String measure, String target, String value) {
    return String.format(Locale.ROOT, "| %s | %s | %s |", measure, target, value);
  }
}
