package io.metadataops.testing;

import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.metadataops.api.MetadataUpgrade;
import io.metadataops.api.MetadataUpgradeSpec;
import io.metadataops.api.UpgradeBackup;
import io.metadataops.api.shared.PersistentVolumeClaimStorage;
import io.metadataops.api.shared.ServerReference;
import io.metadataops.api.shared.StorageSpec;
import java.util.Map;

/**
 * What the official Helm chart installs, as far as the operator can see: the server Deployment
 * `openmetadata` with its DB_* env, the password in Secret `mysql-secrets`, and a backup volume.
 */
public final class OpenMetadataFixture {

  public static final String SERVER = "openmetadata";
  public static final String SECRET = "mysql-secrets";
  public static final String SECRET_KEY = "openmetadata-mysql-password";
  public static final String CLAIM = "openmetadata-backups";

  /** A password that must never show up anywhere the operator writes. */
  public static final String PASSWORD = "Xq7-never-LEAK-this-9fz";

  private OpenMetadataFixture() {}

  public static void install(ClusterNamespace namespace, String version, int replicas) {
    var client = namespace.client();
    secret(namespace, SECRET, SECRET_KEY, PASSWORD);
    // Simulated nodes have no storage provisioner: a pre-bound volume lets Job pods schedule.
    String volume = namespace.name() + "-backups";
    client
        .persistentVolumes()
        .resource(
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
                .withNamespace(namespace.name())
                .withName(CLAIM)
                .endClaimRef()
                .endSpec()
                .build())
        .create();
    client
        .persistentVolumeClaims()
        .inNamespace(namespace.name())
        .resource(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName(CLAIM)
                .endMetadata()
                .withNewSpec()
                .withVolumeName(volume)
                .withStorageClassName("")
                .withAccessModes("ReadWriteOnce")
                .withNewResources()
                .withRequests(Map.of("storage", new Quantity("1Gi")))
                .endResources()
                .endSpec()
                .build())
        .create();
    client
        .apps()
        .deployments()
        .inNamespace(namespace.name())
        .resource(server(version, replicas))
        .create();
  }

  /**
   * A MetadataUpgrade of server Deployment {@code name} to {@code version}, backing up to claim
   * {@code claim}; the rest of the spec at its defaults, for the test to set.
   */
  public static MetadataUpgrade upgrade(String name, String version, String claim) {
    MetadataUpgrade upgrade = new MetadataUpgrade();
    upgrade.getMetadata().setName(name);
    MetadataUpgradeSpec spec = new MetadataUpgradeSpec();
    spec.server = new ServerReference(name);
    spec.targetVersion = version;
    spec.backup = new UpgradeBackup();
    spec.backup.storage = new StorageSpec();
    spec.backup.storage.persistentVolumeClaim = new PersistentVolumeClaimStorage();
    spec.backup.storage.persistentVolumeClaim.claimName = claim;
    upgrade.setSpec(spec);
    return upgrade;
  }

  /** Creates a Secret with one key, as a database password is kept. */
  public static void secret(ClusterNamespace namespace, String name, String key, String value) {
    namespace
        .client()
        .secrets()
        .inNamespace(namespace.name())
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withStringData(Map.of(key, value))
                .build())
        .create();
  }

  public static Deployment server(String version, int replicas) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(SERVER)
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .withMatchLabels(Map.of("app.kubernetes.io/name", SERVER))
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(Map.of("app.kubernetes.io/name", SERVER))
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName(SERVER)
        .withImage("docker.getcollate.io/openmetadata/server:" + version)
        .addNewEnv()
        .withName("DB_DRIVER_CLASS")
        .withValue("com.mysql.cj.jdbc.Driver")
        .endEnv()
        .addNewEnv()
        .withName("DB_SCHEME")
        .withValue("mysql")
        .endEnv()
        .addNewEnv()
        .withName("DB_HOST")
        .withValue("mysql.openmetadata.svc")
        .endEnv()
        .addNewEnv()
        .withName("DB_PORT")
        .withValue("3306")
        .endEnv()
        .addNewEnv()
        .withName("DB_USER")
        .withValue("openmetadata_user")
        .endEnv()
        .addNewEnv()
        .withName("DB_USER_PASSWORD")
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName(SECRET)
        .withKey(SECRET_KEY)
        .endSecretKeyRef()
        .endValueFrom()
        .endEnv()
        .addNewEnv()
        .withName("OM_DATABASE")
        .withValue("openmetadata_db")
        .endEnv()
        .addNewEnv()
        .withName("AUTHENTICATION_PROVIDER")
        .withValue("basic")
        .endEnv()
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
