package io.metadataops.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.metadataops.api.BackupPhase;
import io.metadataops.api.MetadataBackup;
import io.metadataops.api.MetadataBackupSpec;
import io.metadataops.api.shared.DatabaseSource;
import io.metadataops.api.shared.PersistentVolumeClaimStorage;
import io.metadataops.api.shared.StorageSpec;
import io.metadataops.testing.ClusterNamespace;
import io.metadataops.testing.ClusterTest;
import io.metadataops.testing.OpenMetadataFixture;
import io.metadataops.testing.Simulation;
import io.metadataops.testing.TestOperator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The ServiceAccount and ClusterRole of deploy/operator, checked by impersonation: the operator
 * runs a backup with nothing but them, and they cannot read Secrets or delete Deployments or
 * Namespaces.
 */
@ClusterTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorRbacIT {

  private static final String SERVICE_ACCOUNT =
      "system:serviceaccount:metadataops-system:metadata-operator";

  private final ClusterNamespace admin;
  private KubernetesClient operatorClient;

  OperatorRbacIT(ClusterNamespace admin) {
    this.admin = admin;
  }

  @BeforeAll
  void installOperatorIdentity() throws IOException {
    for (String file :
        List.of(
            "00-namespace.yaml",
            "01-serviceaccount.yaml",
            "02-clusterrole.yaml",
            "03-clusterrolebinding.yaml")) {
      try (InputStream in = Files.newInputStream(Path.of("deploy/operator", file))) {
        for (HasMetadata object : admin.client().load(in).items()) {
          admin.client().resource(object).forceConflicts().serverSideApply();
        }
      }
    }
    OpenMetadataFixture.install(admin, "1.5.2", 1);
    Config impersonating =
        new ConfigBuilder(admin.client().getConfiguration())
            .withImpersonateUsername(SERVICE_ACCOUNT)
            .withImpersonateGroups(
                "system:serviceaccounts", "system:serviceaccounts:metadataops-system")
            .build();
    operatorClient = new KubernetesClientBuilder().withConfig(impersonating).build();
  }

  @Test
  void theOperatorRunsABackupWithOnlyItsOwnPermissions() {
    ClusterNamespace asOperator = new ClusterNamespace(operatorClient, admin.name());
    try (TestOperator operator = TestOperator.start(asOperator)) {
      MetadataBackup backup = new MetadataBackup();
      backup.getMetadata().setName("rbac");
      MetadataBackupSpec spec = new MetadataBackupSpec();
      spec.source = DatabaseSource.ofServer(OpenMetadataFixture.SERVER);
      spec.storage = new StorageSpec();
      spec.storage.persistentVolumeClaim = new PersistentVolumeClaimStorage();
      spec.storage.persistentVolumeClaim.claimName = OpenMetadataFixture.CLAIM;
      spec.job.podAnnotations =
          Map.of(
              Simulation.TERMINATION_MESSAGE,
              "{\"status\":\"Succeeded\",\"location\":\"/backups/r.sql.gz\"}");
      backup.setSpec(spec);
      admin.client().resource(backup).inNamespace(admin.name()).create();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  admin
                      .client()
                      .resources(MetadataBackup.class)
                      .inNamespace(admin.name())
                      .withName("rbac")
                      .get(),
              b -> b.getStatus() != null && b.getStatus().phase == BackupPhase.Succeeded);
    }
  }

  @Test
  void theOperatorCanScaleTheServerAndRecordEventsAndLeases() {
    assertThat(
            operatorClient
                .apps()
                .deployments()
                .inNamespace(admin.name())
                .withName(OpenMetadataFixture.SERVER)
                .get())
        .isNotNull();
    assertThat(operatorClient.pods().inNamespace(admin.name()).list()).isNotNull();
    assertThat(operatorClient.leases().inNamespace("metadataops-system").list()).isNotNull();
  }

  @Test
  void theOperatorCannotReadSecrets() {
    assertForbidden(
        () ->
            operatorClient
                .secrets()
                .inNamespace(admin.name())
                .withName(OpenMetadataFixture.SECRET)
                .get());
    assertForbidden(() -> operatorClient.secrets().inNamespace(admin.name()).list());
  }

  @Test
  void theOperatorCannotDeleteDeploymentsOrNamespaces() {
    assertForbidden(
        () ->
            operatorClient
                .apps()
                .deployments()
                .inNamespace(admin.name())
                .withName(OpenMetadataFixture.SERVER)
                .delete());
    assertForbidden(() -> operatorClient.namespaces().withName(admin.name()).delete());
    assertThat(
            admin
                .client()
                .apps()
                .deployments()
                .inNamespace(admin.name())
                .withName(OpenMetadataFixture.SERVER)
                .get())
        .isNotNull();
  }

  private static void assertForbidden(Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403));
  }
}
