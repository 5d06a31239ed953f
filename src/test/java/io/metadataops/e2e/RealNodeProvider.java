package io.metadataops.e2e;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.metadataops.e2e.standin.StandInOpenMetadata;
import io.metadataops.k8s.ServerGateConfigMap;
import io.metadataops.testing.ClusterNamespace;
import io.metadataops.testing.LocalCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The scenarios on the real node of the local control plane (see {@link RealNode}): every pod
 * really runs, on containerd and runc. The operator image and the stand-in server images are built
 * from this checkout without a container engine and loaded into the node; the operator runs as a
 * pod installed from deploy/operator (its own namespace, RBAC, in-cluster config, leader election,
 * restricted pod security), watching the scenarios' namespace only; MySQL 8 and PostgreSQL run as
 * Deployments of images with the official ones' contract; every backup, restore, inspect and
 * migration Job is a pod with the operator's restricted security context and the backup claim, a
 * local PersistentVolume on the node. Two namespace annotations put all these pods on the real node
 * and keep every other tier's pods off it. The test JVM reaches the databases and the version
 * endpoints at their Services' cluster IPs (kube-proxy runs on this machine); pods reach them by
 * name through CoreDNS.
 */
public final class RealNodeProvider implements E2eCluster {

  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  private final KubernetesClient client;
  private final String nodeName;
  private final ClusterNamespace operatorNamespace;
  private final String clusterScopedSuffix;
  private ClusterNamespace namespace;
  private Path volume;
  private SharedIndexInformer<Pod> podInformer;
  private final Map<String, Pod> pods = new ConcurrentHashMap<>();

  private RealNodeProvider(
      KubernetesClient client, String nodeName, ClusterNamespace operatorNamespace, String suffix) {
    this.client = client;
    this.nodeName = nodeName;
    this.operatorNamespace = operatorNamespace;
    this.clusterScopedSuffix = suffix;
  }

  public static RealNodeProvider start() throws IOException, InterruptedException {
    KubernetesClient client = LocalCluster.client();
    String node = RealNode.ensureUp();
    RealNode.ensureImages();
    String suffix = UUID.randomUUID().toString().substring(0, 6);
    RealNodeProvider provider =
        new RealNodeProvider(
            client,
            node,
            new ClusterNamespace(client, "e2e-node-operator-" + suffix),
            "-e2e-node-" + suffix);
    try {
      provider.namespace = createNamespace(client, "e2e-node-" + suffix);
      provider.recordPods();
      provider.installOperator();
      provider.prepareNamespace();
      E2eSetup.awaitRolledOut(
          provider.operatorNamespace, E2eManifests.OPERATOR_DEPLOYMENT, TIMEOUT);
      return provider;
    } catch (RuntimeException | IOException e) {
      provider.close();
      throw e;
    }
  }

  /** A namespace whose pods all run on the real node. */
  private static ClusterNamespace createNamespace(KubernetesClient client, String name) {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .withAnnotations(RealNode.namespaceAnnotations())
                .endMetadata()
                .build())
        .create();
    return new ClusterNamespace(client, name);
  }

  /**
   * deploy/operator with the image under test, in a namespace and with cluster-scoped names of this
   * run (several checkouts may share the cluster), on the real node, watching the scenarios'
   * namespace only (the other tiers run their own operators in theirs).
   */
  private void installOperator() {
    List<HasMetadata> objects = E2eManifests.operator(client, ROOT, E2eImages.OPERATOR);
    for (HasMetadata object : objects) {
      if (object instanceof Namespace ns) {
        ns.getMetadata().setName(operatorNamespace.name());
        ns.getMetadata().setAnnotations(RealNode.namespaceAnnotations());
      } else if (object instanceof ClusterRole role) {
        role.getMetadata().setName(role.getMetadata().getName() + clusterScopedSuffix);
      } else if (object instanceof ClusterRoleBinding binding) {
        binding.getMetadata().setName(binding.getMetadata().getName() + clusterScopedSuffix);
        binding.getRoleRef().setName(binding.getRoleRef().getName() + clusterScopedSuffix);
        binding.getSubjects().forEach(s -> s.setNamespace(operatorNamespace.name()));
      } else if (object instanceof Deployment deployment) {
        deployment
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getEnv()
            .add(new EnvVar("WATCH_NAMESPACES", namespace.name(), null));
      }
      if (object.getMetadata().getNamespace() != null) {
        object.getMetadata().setNamespace(operatorNamespace.name());
      }
    }
    E2eSetup.apply(operatorNamespace, objects);
    awaitGateEnforced();
  }

  /**
   * The server image gate is installed as released and never deleted: it acts only where a gate
   * ConfigMap exists, so runs sharing the cluster share it, and kube-apiserver stops resolving
   * ConfigMap params for good once no binding uses them (kubernetes/kubernetes#130887): the gate
   * would then admit every pod. This proves it refuses one before any scenario relies on it.
   */
  private void awaitGateEnforced() {
    String probe = "gate-probe";
    ConfigMap gate =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(probe)
            .addToLabels(ServerGateConfigMap.LABEL, "true")
            .endMetadata()
            .addToData("selector", "metadataops.io/gate-probe=" + namespace.name())
            .addToData("repository", "metadataops.local/gate-probe")
            .addToData("image", "")
            .addToData("message", "probe")
            .build();
    client.configMaps().inNamespace(namespace.name()).resource(gate).create();
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(probe)
            .addToLabels("metadataops.io/gate-probe", namespace.name())
            .endMetadata()
            .withNewSpec()
            .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile()
            .endSecurityContext()
            .addNewContainer()
            .withName("server")
            .withImage("metadataops.local/gate-probe:refused")
            .withNewSecurityContext()
            .withAllowPrivilegeEscalation(false)
            .withNewCapabilities()
            .withDrop("ALL")
            .endCapabilities()
            .endSecurityContext()
            .endContainer()
            .endSpec()
            .build();
    try {
      await("the server image gate refusing a pod")
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> refuses(pod));
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException(
          "the server image gate does not refuse a pod it must refuse (the API server answered: "
              + probeAnswer
              + "). If it was created: kube-apiserver no longer resolves the gate's ConfigMap"
              + " params (kubernetes/kubernetes#130887, once the last binding using them was"
              + " deleted); restart the control plane: make cluster-down cluster-up",
          e);
    } finally {
      client.configMaps().inNamespace(namespace.name()).withName(probe).delete();
    }
  }

  /** What the API server last answered to the probe pod. */
  private String probeAnswer = "nothing yet";

  private boolean refuses(Pod pod) {
    try {
      client.pods().inNamespace(namespace.name()).resource(pod).dryRun().create();
      probeAnswer = "created";
      return false;
    } catch (KubernetesClientException e) {
      probeAnswer = e.getCode() + " " + e.getMessage();
      return e.getMessage().contains(ServerGateConfigMap.REFUSAL);
    }
  }

  /** The database Secret, MySQL 8 and PostgreSQL, and the backup claim on a local volume. */
  private void prepareNamespace() throws IOException, InterruptedException {
    E2eSetup.apply(namespace, List.of(E2eManifests.databaseSecret()));
    for (DatabaseKind kind : DatabaseKind.values()) {
      E2eSetup.apply(
          namespace, E2eManifests.databaseServer(kind, E2eImages.realNodeDatabase(kind)));
    }
    // The engine runs as uid 185 and writes the dumps: the volume's directory is its own.
    volume = RealNode.VOLUMES.resolve(namespace.name());
    Files.createDirectories(volume);
    Process chown = new ProcessBuilder("chown", "185:185", volume.toString()).start();
    if (chown.waitFor() != 0) {
      throw new IllegalStateException("cannot chown " + volume + " to uid 185");
    }
    E2eSetup.apply(
        namespace, E2eManifests.localBackupClaim(namespace.name(), volume.toString(), nodeName));
    for (DatabaseKind kind : DatabaseKind.values()) {
      E2eSetup.awaitRolledOut(namespace, kind.scheme(), TIMEOUT);
    }
  }

  /** Keeps the last state of every pod of the scenarios' namespace, deleted ones included. */
  private void recordPods() {
    ResourceEventHandler<Pod> handler =
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod pod) {
            pods.put(pod.getMetadata().getUid(), pod);
          }

          @Override
          public void onUpdate(Pod old, Pod pod) {
            pods.put(pod.getMetadata().getUid(), pod);
          }

          @Override
          public void onDelete(Pod pod, boolean unknownFinalState) {
            if (!unknownFinalState) {
              pods.put(pod.getMetadata().getUid(), pod);
            }
          }
        };
    podInformer = client.pods().inNamespace(namespace.name()).inform(handler);
  }

  /** Every pod seen in the scenarios' namespace so far, in its last known state. */
  public Collection<Pod> pods() {
    return List.copyOf(pods.values());
  }

  /** The operator's pods now. */
  public List<Pod> operatorPods() {
    return client.pods().inNamespace(operatorNamespace.name()).list().getItems();
  }

  public String nodeName() {
    return nodeName;
  }

  @Override
  public String name() {
    return "real node " + nodeName + " (kubelet, containerd, runc)";
  }

  @Override
  public ClusterNamespace namespace() {
    return namespace;
  }

  @Override
  public DatabaseAddress databaseForPods(DatabaseKind kind) {
    return E2eManifests.databaseInCluster(kind, namespace.name());
  }

  @Override
  public DatabaseAddress databaseForTests(DatabaseKind kind) {
    return new DatabaseAddress(clusterIp(kind.scheme()), kind.port());
  }

  @Override
  public String verificationUrl(String deployment) {
    return null; // the operator's default: http://<deployment>.<namespace>.svc:8585/...
  }

  @Override
  public Optional<String> reportedVersion(String deployment) {
    return E2eHttp.version(apiUrl(deployment).orElseThrow() + StandInOpenMetadata.VERSION_PATH);
  }

  @Override
  public Optional<String> apiUrl(String deployment) {
    return Optional.of("http://" + clusterIp(deployment) + ":" + StandInOpenMetadata.PORT);
  }

  private String clusterIp(String service) {
    Service s = client.services().inNamespace(namespace.name()).withName(service).get();
    if (s == null) {
      throw new IllegalStateException("no Service " + service + " in " + namespace.name());
    }
    return s.getSpec().getClusterIP();
  }

  /** Scales the stand-in servers of finished scenarios to zero: two cores run everything here. */
  public void scaleDownServers() {
    for (Deployment d :
        client.apps().deployments().inNamespace(namespace.name()).list().getItems()) {
      boolean database =
          List.of(DatabaseKind.values()).stream()
              .anyMatch(k -> k.scheme().equals(d.getMetadata().getName()));
      if (!database && d.getSpec().getReplicas() != null && d.getSpec().getReplicas() > 0) {
        client
            .apps()
            .deployments()
            .inNamespace(namespace.name())
            .withName(d.getMetadata().getName())
            .scale(0);
      }
    }
  }

  @Override
  public Duration timeout() {
    return TIMEOUT;
  }

  @Override
  public void close() {
    List<RuntimeException> failures = new ArrayList<>();
    Runnable[] steps = {
      () -> {
        if (podInformer != null) {
          podInformer.stop();
        }
      },
      () -> client.namespaces().withName(operatorNamespace.name()).delete(),
      () ->
          client
              .rbac()
              .clusterRoleBindings()
              .withName(E2eManifests.OPERATOR_DEPLOYMENT + clusterScopedSuffix)
              .delete(),
      () ->
          client
              .rbac()
              .clusterRoles()
              .withName(E2eManifests.OPERATOR_DEPLOYMENT + clusterScopedSuffix)
              .delete(),
      () -> {
        if (namespace != null) {
          E2eSetup.deleteNamespace(namespace);
        }
      },
    };
    for (Runnable step : steps) {
      try {
        step.run();
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    if (volume != null && !Boolean.getBoolean("metadataops.keepNamespaces")) {
      try {
        new ProcessBuilder("rm", "-rf", volume.toString()).start().waitFor();
      } catch (IOException e) {
        failures.add(new IllegalStateException("cannot remove " + volume, e));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (!failures.isEmpty()) {
      RuntimeException first = failures.get(0);
      failures.stream().skip(1).forEach(first::addSuppressed);
      throw first;
    }
  }
}
