package io.metadataops.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The cluster tier's connection to a real API server. It reuses the cluster KUBECONFIG points at,
 * or starts the local control plane (hack/cluster/up.sh, which builds it on first use); installs
 * the CRDs from deploy/crds; gives each test class a fresh namespace, removed afterwards; and dumps
 * the namespace's objects and events when a test fails.
 *
 * <p>Test classes receive a {@link ClusterNamespace} as a constructor or method parameter.
 */
public class LocalCluster
    implements BeforeAllCallback, AfterAllCallback, ParameterResolver, TestWatcher {

  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final Duration START_TIMEOUT = Duration.ofMinutes(60);
  private static KubernetesClient sharedClient;
  private static String kubeconfigPath;

  @Override
  public void beforeAll(ExtensionContext context) {
    namespaceFor(context);
  }

  /**
   * The class's namespace, created on first use (a PER_CLASS test instance asks before beforeAll).
   */
  private static ClusterNamespace namespaceFor(ExtensionContext classContext) {
    return store(classContext)
        .getOrComputeIfAbsent(
            ClusterNamespace.class, type -> createNamespace(classContext), ClusterNamespace.class);
  }

  private static ClusterNamespace createNamespace(ExtensionContext context) {
    KubernetesClient client = client();
    // The cluster may be shared by several checkouts, each applying its own CRDs: apply this
    // checkout's again for every class, so its status fields are not pruned by an older schema.
    installCrds(client);
    String simpleName =
        context
            .getRequiredTestClass()
            .getSimpleName()
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9]", "");
    String name =
        "t-"
            + simpleName.substring(0, Math.min(40, simpleName.length()))
            + "-"
            + UUID.randomUUID().toString().substring(0, 6);
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    return new ClusterNamespace(client, name);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    ClusterNamespace namespace = store(context).get(ClusterNamespace.class, ClusterNamespace.class);
    if (namespace != null && !Boolean.getBoolean("metadataops.keepNamespaces")) {
      namespace.releaseFinalizers();
      namespace.client().namespaces().withName(namespace.name()).delete();
      namespace.client().persistentVolumes().withName(namespace.name() + "-backups").delete();
    }
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    ClusterNamespace namespace =
        store(context.getParent().orElseThrow())
            .get(ClusterNamespace.class, ClusterNamespace.class);
    if (namespace != null) {
      System.err.println(namespace.dump());
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == ClusterNamespace.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ExtensionContext classContext =
        context.getTestMethod().isPresent() ? context.getParent().orElseThrow() : context;
    return namespaceFor(classContext);
  }

  private static ExtensionContext.Store store(ExtensionContext context) {
    return context.getStore(
        ExtensionContext.Namespace.create(LocalCluster.class, context.getUniqueId()));
  }

  /** The kubeconfig of the test cluster, for processes a test starts (operator replicas). */
  public static synchronized String kubeconfigPath() {
    client();
    return kubeconfigPath;
  }

  /** One client for the whole test JVM, with the CRDs installed. */
  public static synchronized KubernetesClient client() {
    if (sharedClient == null) {
      Config config = reachableConfig();
      sharedClient = new KubernetesClientBuilder().withConfig(config).build();
      installCrds(sharedClient);
    }
    return sharedClient;
  }

  private static Config reachableConfig() {
    String kubeconfig = System.getenv("KUBECONFIG");
    if (kubeconfig != null && isReachable(Config.autoConfigure(null))) {
      System.err.println("[cluster] using the cluster of KUBECONFIG=" + kubeconfig);
      kubeconfigPath = kubeconfig;
      return Config.autoConfigure(null);
    }
    System.err.println("[cluster] no reachable cluster in KUBECONFIG: starting hack/cluster/up.sh");
    kubeconfigPath = startLocalCluster();
    try {
      Config config = Config.fromKubeconfig(Files.readString(Path.of(kubeconfigPath)));
      if (!isReachable(config)) {
        throw new IllegalStateException(
            "hack/cluster/up.sh finished but the API server in "
                + kubeconfigPath
                + " does not answer");
      }
      return config;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + kubeconfigPath, e);
    }
  }

  private static String startLocalCluster() {
    try {
      Process process =
          new ProcessBuilder("hack/cluster/up.sh")
              .directory(ROOT.toFile())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      String stdout;
      try (InputStream out = process.getInputStream()) {
        stdout = new String(out.readAllBytes()).trim();
      }
      if (!process.waitFor(START_TIMEOUT.toMinutes(), TimeUnit.MINUTES)
          || process.exitValue() != 0) {
        throw new IllegalStateException(
            "hack/cluster/up.sh failed (see its output above); the cluster tier cannot run");
      }
      List<String> lines = stdout.lines().toList();
      return lines.get(lines.size() - 1);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run hack/cluster/up.sh", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the cluster", e);
    }
  }

  private static boolean isReachable(Config config) {
    try (KubernetesClient probe = new KubernetesClientBuilder().withConfig(config).build()) {
      probe.getKubernetesVersion();
      return true;
    } catch (KubernetesClientException e) {
      return false;
    }
  }

  /** Applies deploy/crds of this checkout and waits until the API server serves them. */
  public static void installCrds(KubernetesClient client) {
    try (Stream<Path> files = Files.list(ROOT.resolve("deploy/crds"))) {
      for (Path file : files.sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          HasMetadata crd = client.load(in).items().get(0);
          client.resource(crd).forceConflicts().serverSideApply();
          client
              .apiextensions()
              .v1()
              .customResourceDefinitions()
              .withName(crd.getMetadata().getName())
              .waitUntilCondition(LocalCluster::isEstablished, 1, TimeUnit.MINUTES);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read deploy/crds", e);
    }
  }

  private static boolean isEstablished(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
