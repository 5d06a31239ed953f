package io.metadataops.e2e;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.metadataops.api.MetadataUpgrade;
import io.metadataops.api.MetadataUpgradeSpec;
import io.metadataops.api.shared.PersistentVolumeClaimStorage;
import io.metadataops.api.shared.StorageSpec;
import io.metadataops.e2e.standin.StandInOpenMetadata;
import io.metadataops.testing.OpenMetadataFixture;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every object the end-to-end tests put into a cluster, built in one place for both providers: the
 * database servers (MySQL 8, PostgreSQL) as Deployments with a Service, the stand-in OpenMetadata
 * server (DB_* env, password from a Secret, port 8585; or exactly in the official chart's shape:
 * settings from {@code <release>-db-secret}, the migration init container, a sidecar), the backup
 * volume, and the operator from deploy/operator with the image under test. The local control plane
 * applies them (its pods are simulated); the real node and k3s run them.
 */
public final class E2eManifests {

  /** The database user of every test database, the same as hack/db/up.sh's local one. */
  public static final String USER = "metadataops";

  public static final String PASSWORD = "metadataops-test-pw";

  /** The Secret holding the database password, as the Helm chart's `mysql-secrets`. */
  public static final String SECRET = "openmetadata-db";

  public static final String SECRET_KEY = "openmetadata-db-password";

  /** The claim every backup of the scenarios is written to. */
  public static final String CLAIM = "openmetadata-backups";

  /** The operator's namespace in deploy/operator. */
  public static final String OPERATOR_NAMESPACE = "metadataops-system";

  public static final String OPERATOR_DEPLOYMENT = "metadata-operator";

  /** The name of the server container, as in the Helm chart. */
  public static final String SERVER_CONTAINER = "openmetadata";

  /** The chart's migration init container and what it runs, without its additional arguments. */
  public static final String CHART_MIGRATION_CONTAINER = "run-db-migrations";

  public static final String CHART_MIGRATION_COMMAND =
      "/opt/openmetadata/bootstrap/openmetadata-ops.sh migrate";

  public static final String CHART_SIDECAR = "log-shipper";

  public static final String NAME_LABEL = "app.kubernetes.io/name";

  private E2eManifests() {}

  public static HasMetadata databaseSecret() {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(SECRET)
        .endMetadata()
        .withStringData(Map.of(SECRET_KEY, PASSWORD))
        .build();
  }

  /** The database server of {@code kind}: its Deployment and Service, named {@code scheme()}. */
  public static List<HasMetadata> databaseServer(DatabaseKind kind) {
    return databaseServer(kind, kind.image());
  }

  /**
   * The database server of {@code kind} from {@code image}, an image with the official one's
   * contract (on the real node: {@link E2eImages#realNodeDatabase}).
   */
  public static List<HasMetadata> databaseServer(DatabaseKind kind, String image) {
    String name = kind.scheme();
    ContainerBuilder container =
        new ContainerBuilder()
            .withName(name)
            .withImage(image)
            .withImagePullPolicy("IfNotPresent")
            .addNewPort()
            .withName("db")
            .withContainerPort(kind.port())
            .endPort()
            .withNewResources()
            .withRequests(Map.of("memory", new Quantity("256Mi")))
            .endResources();
    List<HasMetadata> objects = new ArrayList<>();
    List<Volume> volumes = new ArrayList<>();
    volumes.add(new VolumeBuilder().withName("data").withNewEmptyDir().endEmptyDir().build());
    if (kind == DatabaseKind.MYSQL) {
      // The official image grants MYSQL_USER only its own MYSQL_DATABASE; the tests create one
      // database per scenario, so the user gets what hack/db/up.sh gives the local one.
      objects.add(
          new ConfigMapBuilder()
              .withNewMetadata()
              .withName("mysql-init")
              .endMetadata()
              .withData(
                  Map.of(
                      "grants.sql",
                      "GRANT ALL PRIVILEGES ON *.* TO '" + USER + "'@'%' WITH GRANT OPTION;\n"))
              .build());
      volumes.add(
          new VolumeBuilder()
              .withName("init")
              .withNewConfigMap()
              .withName("mysql-init")
              .endConfigMap()
              .build());
      container
          // OpenMetadata's requirement since 1.12: migrations fail with "Out of sort memory" below.
          .withArgs("mysqld", "--sort-buffer-size=20971520")
          .withEnv(
              secretEnv("MYSQL_ROOT_PASSWORD"),
              env("MYSQL_USER", USER),
              secretEnv("MYSQL_PASSWORD"),
              env("MYSQL_DATABASE", "openmetadata_db"))
          .withVolumeMounts(
              new VolumeMountBuilder().withName("data").withMountPath("/var/lib/mysql").build(),
              new VolumeMountBuilder()
                  .withName("init")
                  .withMountPath("/docker-entrypoint-initdb.d")
                  .build())
          // TCP on 127.0.0.1 answers only once the init scripts have run and the server restarted.
          .withReadinessProbe(
              exec("mysqladmin ping --silent -h 127.0.0.1 -uroot -p\"$MYSQL_ROOT_PASSWORD\""));
    } else {
      container
          .withEnv(
              env("POSTGRES_USER", USER),
              secretEnv("POSTGRES_PASSWORD"),
              env("POSTGRES_DB", "openmetadata_db"),
              env("PGDATA", "/var/lib/postgresql/data/pgdata"))
          .withVolumeMounts(
              new VolumeMountBuilder()
                  .withName("data")
                  .withMountPath("/var/lib/postgresql/data")
                  .build())
          .withReadinessProbe(exec("pg_isready -h 127.0.0.1 -U " + USER));
    }
    Deployment deployment =
        deployment(
            name,
            1,
            new PodSpecBuilder().withContainers(container.build()).withVolumes(volumes).build());
    deployment.getSpec().setStrategy(new DeploymentStrategyBuilder().withType("Recreate").build());
    objects.add(deployment);
    objects.add(service(name, kind.port(), "db"));
    return objects;
  }

  /** Where pods of {@code namespace} reach the database server of {@link #databaseServer}. */
  public static DatabaseAddress databaseInCluster(DatabaseKind kind, String namespace) {
    return new DatabaseAddress(kind.scheme() + "." + namespace + ".svc", kind.port());
  }

  /** The objects of a stand-in server: {@link #openMetadataServer}, {@link #chartShapedServer}. */
  @FunctionalInterface
  public interface ServerShape {
    List<HasMetadata> objects(
        String name,
        String version,
        int replicas,
        DatabaseKind kind,
        DatabaseAddress address,
        String database);
  }

  /**
   * The stand-in OpenMetadata server {@code name} at {@code version}, on database {@code database}
   * of a {@code kind} server that its pods reach at {@code address}: a Deployment with the database
   * settings as literal env and the Service the operator's default verification URL points at.
   */
  public static List<HasMetadata> openMetadataServer(
      String name,
      String version,
      int replicas,
      DatabaseKind kind,
      DatabaseAddress address,
      String database) {
    Container server = serverContainer(version).withEnv(serverEnv(kind, address, database)).build();
    return List.of(
        serverDeployment(name, replicas, server, List.of(), List.of()),
        service(name, StandInOpenMetadata.PORT, "http"));
  }

  /**
   * The same server shaped as the official Helm chart (1.13) installs it as release {@code name}:
   * the database settings only in Secret {@code <name>-db-secret}, taken through {@code envFrom};
   * the password alone a {@code secretKeyRef}; the migration in init container {@code
   * run-db-migrations}, {@code /bin/bash -c ".../openmetadata-ops.sh migrate --force"} with the
   * {@code --force} the chart's values suggest as {@code additionalArgs}; and a sidecar that runs
   * until it is told to stop, as a log shipper or a database proxy does.
   */
  public static List<HasMetadata> chartShapedServer(
      String name,
      String version,
      int replicas,
      DatabaseKind kind,
      DatabaseAddress address,
      String database) {
    String dbSecret = name + "-db-secret";
    Map<String, String> settings = new LinkedHashMap<>();
    for (EnvVar literal : serverEnv(kind, address, database)) {
      if (literal.getValue() != null) {
        settings.put(literal.getName(), literal.getValue());
      }
    }
    List<EnvFromSource> envFrom =
        List.of(
            new EnvFromSourceBuilder()
                .withNewSecretRef()
                .withName(dbSecret)
                .endSecretRef()
                .build());
    EnvVar password = secretEnv("DB_USER_PASSWORD");
    Container server = serverContainer(version).withEnv(password).withEnvFrom(envFrom).build();
    Container migrations =
        new ContainerBuilder()
            .withName(CHART_MIGRATION_CONTAINER)
            .withImage(E2eImages.server(version))
            .withImagePullPolicy("IfNotPresent")
            .withCommand("/bin/bash", "-c", CHART_MIGRATION_COMMAND + " --force")
            .withEnv(password)
            .withEnvFrom(envFrom)
            .withSecurityContext(server.getSecurityContext())
            .build();
    Container sidecar =
        new ContainerBuilder()
            .withName(CHART_SIDECAR)
            .withImage(E2eImages.server(version))
            .withImagePullPolicy("IfNotPresent")
            .withCommand("/bin/sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done")
            .withNewResources()
            .withRequests(Map.of("memory", new Quantity("16Mi")))
            .endResources()
            .withSecurityContext(server.getSecurityContext())
            .build();
    return List.of(
        new SecretBuilder()
            .withNewMetadata()
            .withName(dbSecret)
            .endMetadata()
            .withStringData(settings)
            .build(),
        serverDeployment(name, replicas, server, List.of(migrations), List.of(sidecar)),
        service(name, StandInOpenMetadata.PORT, "http"));
  }

  private static ContainerBuilder serverContainer(String version) {
    return new ContainerBuilder()
        .withName(SERVER_CONTAINER)
        .withImage(E2eImages.server(version))
        .withImagePullPolicy("IfNotPresent")
        .addNewPort()
        .withName("http")
        .withContainerPort(StandInOpenMetadata.PORT)
        .endPort()
        .withReadinessProbe(
            new ProbeBuilder()
                .withNewHttpGet()
                .withPath(StandInOpenMetadata.VERSION_PATH)
                .withPort(new IntOrString("http"))
                .endHttpGet()
                .withPeriodSeconds(2)
                .withFailureThreshold(1)
                .build())
        .withNewResources()
        .withRequests(Map.of("memory", new Quantity("128Mi")))
        .endResources()
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withRunAsNonRoot(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .endSecurityContext();
  }

  private static Deployment serverDeployment(
      String name, int replicas, Container server, List<Container> init, List<Container> sidecars) {
    List<Container> containers = new ArrayList<>(List.of(server));
    containers.addAll(sidecars);
    return deployment(
        name,
        replicas,
        new PodSpecBuilder()
            .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .withRunAsUser(185L)
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile()
            .endSecurityContext()
            .withInitContainers(init)
            .withContainers(containers)
            .build());
  }

  /** A Deployment {@code name} of {@code pod}, its pods labelled and selected by the name. */
  private static Deployment deployment(String name, int replicas, PodSpec pod) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(Map.of(NAME_LABEL, name))
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .withMatchLabels(Map.of(NAME_LABEL, name))
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(Map.of(NAME_LABEL, name))
        .endMetadata()
        .withSpec(pod)
        .endTemplate()
        .endSpec()
        .build();
  }

  /**
   * An upgrade of the server {@code name} to {@code version} with the 1.6 approvals, its backup on
   * the scenarios' claim and every timeout as long as a scenario step may take on {@code cluster}.
   */
  public static MetadataUpgrade upgrade(String name, String version, E2eCluster cluster) {
    MetadataUpgrade upgrade = OpenMetadataFixture.upgrade(name, version, CLAIM);
    MetadataUpgradeSpec spec = upgrade.getSpec();
    spec.backup.storage.persistentVolumeClaim.path = "upgrades";
    spec.approvedChanges = E2eImages.APPROVALS_1_6;
    int seconds = (int) cluster.timeout().toSeconds();
    spec.migration.timeoutSeconds = seconds;
    spec.rollout.timeoutSeconds = seconds;
    spec.verification.timeoutSeconds = seconds;
    spec.verification.url = cluster.verificationUrl(name);
    return upgrade;
  }

  /** Backups under {@code path} of the scenarios' claim. */
  public static StorageSpec storage(String path) {
    StorageSpec storage = new StorageSpec();
    storage.persistentVolumeClaim = new PersistentVolumeClaimStorage();
    storage.persistentVolumeClaim.claimName = CLAIM;
    storage.persistentVolumeClaim.path = path;
    return storage;
  }

  /** OpenMetadata's database settings, as the Helm chart writes them into the server's env. */
  public static List<EnvVar> serverEnv(
      DatabaseKind kind, DatabaseAddress address, String database) {
    List<EnvVar> env = new ArrayList<>();
    env.add(env("DB_DRIVER_CLASS", kind.driverClass()));
    env.add(env("DB_SCHEME", kind.scheme()));
    env.add(env("DB_HOST", address.host()));
    env.add(env("DB_PORT", String.valueOf(address.port())));
    env.add(env("DB_USER", USER));
    env.add(secretEnv("DB_USER_PASSWORD"));
    env.add(env("OM_DATABASE", database));
    if (!kind.params().isEmpty()) {
      env.add(env("DB_PARAMS", kind.params()));
    }
    return env;
  }

  /**
   * The claim the backups go to. With {@code provisioner} (k3s' local-path) the cluster creates the
   * volume; without one (the local control plane) a PersistentVolume pre-bound to the claim comes
   * first, named after the namespace.
   */
  public static List<HasMetadata> backupClaim(String namespace, boolean provisioner) {
    var claim =
        new PersistentVolumeClaimBuilder()
            .withNewMetadata()
            .withName(CLAIM)
            .endMetadata()
            .withNewSpec()
            .withAccessModes("ReadWriteOnce")
            .withNewResources()
            .withRequests(Map.of("storage", new Quantity("1Gi")))
            .endResources()
            .endSpec();
    if (provisioner) {
      return List.of(claim.build());
    }
    String volume = backupVolumeName(namespace);
    return List.of(
        new PersistentVolumeBuilder()
            .withNewMetadata()
            .withName(volume)
            .endMetadata()
            .withNewSpec()
            .withCapacity(Map.of("storage", new Quantity("1Gi")))
            .withAccessModes("ReadWriteOnce")
            .withNewHostPath()
            .withPath("/tmp/" + volume)
            .endHostPath()
            .withNewClaimRef()
            .withNamespace(namespace)
            .withName(CLAIM)
            .endClaimRef()
            .endSpec()
            .build(),
        claim.editSpec().withVolumeName(volume).withStorageClassName("").endSpec().build());
  }

  /**
   * The claim the backups go to on the real node: a local PersistentVolume at {@code path} on
   * {@code node} (a directory the engine's user may write), pre-bound to the claim.
   */
  public static List<HasMetadata> localBackupClaim(String namespace, String path, String node) {
    String volume = backupVolumeName(namespace);
    return List.of(
        new PersistentVolumeBuilder()
            .withNewMetadata()
            .withName(volume)
            .endMetadata()
            .withNewSpec()
            .withCapacity(Map.of("storage", new Quantity("1Gi")))
            .withAccessModes("ReadWriteOnce")
            .withPersistentVolumeReclaimPolicy("Retain")
            .withStorageClassName("")
            .withNewLocal()
            .withPath(path)
            .endLocal()
            .withNewNodeAffinity()
            .withNewRequired()
            .addNewNodeSelectorTerm()
            .addNewMatchExpression()
            .withKey("kubernetes.io/hostname")
            .withOperator("In")
            .withValues(node)
            .endMatchExpression()
            .endNodeSelectorTerm()
            .endRequired()
            .endNodeAffinity()
            .withNewClaimRef()
            .withNamespace(namespace)
            .withName(CLAIM)
            .endClaimRef()
            .endSpec()
            .build(),
        new PersistentVolumeClaimBuilder()
            .withNewMetadata()
            .withName(CLAIM)
            .endMetadata()
            .withNewSpec()
            .withAccessModes("ReadWriteOnce")
            .withNewResources()
            .withRequests(Map.of("storage", new Quantity("1Gi")))
            .endResources()
            .withVolumeName(volume)
            .withStorageClassName("")
            .endSpec()
            .build());
  }

  /** The cluster-scoped volume {@link #backupClaim} creates without a provisioner. */
  public static String backupVolumeName(String namespace) {
    return namespace + "-e2e-backups";
  }

  /**
   * deploy/operator as released, with {@code image} as the operator and engine image and one
   * replica (leader election stays on; failover has its own test).
   */
  public static List<HasMetadata> operator(KubernetesClient client, Path root, String image) {
    List<HasMetadata> objects = new ArrayList<>();
    try (Stream<Path> files = Files.list(root.resolve("deploy/operator"))) {
      for (Path file : files.sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          objects.addAll(client.load(in).items());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read deploy/operator", e);
    }
    for (HasMetadata object : objects) {
      if (object instanceof Deployment deployment) {
        deployment.getSpec().setReplicas(1);
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        container.setImage(image);
        container.setImagePullPolicy("IfNotPresent");
        container.getEnv().stream()
            .filter(e -> e.getName().equals("METADATAOPS_ENGINE_IMAGE"))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no METADATAOPS_ENGINE_IMAGE"))
            .setValue(image);
      }
    }
    return objects;
  }

  private static HasMetadata service(String name, int port, String targetPort) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(Map.of(NAME_LABEL, name))
        .endMetadata()
        .withNewSpec()
        .withSelector(Map.of(NAME_LABEL, name))
        .addNewPort()
        .withName(targetPort)
        .withPort(port)
        .withTargetPort(new IntOrString(targetPort))
        .endPort()
        .endSpec()
        .build();
  }

  private static Probe exec(String shellCommand) {
    return new ProbeBuilder()
        .withNewExec()
        .withCommand("sh", "-c", shellCommand)
        .endExec()
        .withInitialDelaySeconds(5)
        .withPeriodSeconds(3)
        .build();
  }

  private static EnvVar env(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  private static EnvVar secretEnv(String name) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName(SECRET)
        .withKey(SECRET_KEY)
        .endSecretKeyRef()
        .endValueFrom()
        .build();
  }
}
