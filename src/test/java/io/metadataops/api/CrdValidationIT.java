package io.metadataops.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.metadataops.testing.ClusterNamespace;
import io.metadataops.testing.ClusterTest;
import io.metadataops.testing.GenericObjects;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every validation rule of the CRDs, proven by the real API server: each example is accepted, and
 * each invalid variant is rejected with a message naming the field.
 */
@ClusterTest
class CrdValidationIT {

  private final ClusterNamespace namespace;

  CrdValidationIT(ClusterNamespace namespace) {
    this.namespace = namespace;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "backup.yaml",
        "backup-postgresql.yaml",
        "restore.yaml",
        "restore-postgresql.yaml",
        "upgrade.yaml",
        "upgrade-postgresql.yaml",
        "upgrade-chart-2-0.yaml",
        "backup-volume.yaml"
      })
  void examplesAreAccepted(String example) {
    GenericKubernetesResource object = example(example);
    namespace.client().resource(object).inNamespace(namespace.name()).dryRun().create();
  }

  static Stream<Arguments> invalidVariants() {
    return Stream.of(
        invalid(
            "upgrade-chart-2-0.yaml",
            o -> GenericObjects.set(o, "spec.ingestion", Map.of("tagForm", "Auto")),
            "spec.ingestion",
            "needs a deploymentName, deployments or an orchestratorSecret"),
        invalid(
            "upgrade-chart-2-0.yaml",
            o -> GenericObjects.set(o, "spec.reindex", "Sometimes"),
            "spec.reindex",
            "Unsupported value"),
        invalid(
            "backup-postgresql.yaml",
            o ->
                GenericObjects.set(
                    o,
                    "spec.verify",
                    Map.of("enabled", true, "scratchDatabase", "openmetadata_db")),
            "spec",
            "verify.scratchDatabase names the database being backed up"),
        invalid(
            "backup.yaml",
            o -> GenericObjects.set(o, "spec.verify", Map.of("scratchDatabase", "om_check")),
            "spec.verify",
            "set enabled: true"),
        invalid(
            "backup.yaml",
            o ->
                GenericObjects.set(
                    o, "spec.verify", Map.of("enabled", true, "scratchDatabase", "om-check")),
            "spec.verify.scratchDatabase",
            "should match"),
        invalid(
            "backup.yaml",
            o -> GenericObjects.set(o, "spec.source.database", database("mysql")),
            "spec.source",
            "set exactly one of server"),
        invalid(
            "backup.yaml",
            o -> GenericObjects.remove(o, "spec.source.server"),
            "spec.source",
            "set exactly one of server"),
        invalid(
            "backup.yaml",
            o ->
                GenericObjects.set(
                    o,
                    "spec.storage.s3",
                    Map.of("bucket", "b", "credentials", Map.of("secretName", "s"))),
            "spec.storage",
            "exactly one storage target"),
        invalid(
            "backup.yaml",
            o -> GenericObjects.remove(o, "spec.storage.persistentVolumeClaim"),
            "spec.storage",
            "exactly one storage target"),
        invalid(
            "backup.yaml",
            o -> GenericObjects.set(o, "spec.storage.persistentVolumeClaim.path", "/etc"),
            "spec.storage.persistentVolumeClaim.path",
            "relative to the volume root"),
        invalid(
            "backup.yaml",
            o -> GenericObjects.set(o, "spec.storage.persistentVolumeClaim.path", "a/../../b"),
            "spec.storage.persistentVolumeClaim.path",
            "no '..'"),
        invalid(
            "backup.yaml",
            o -> GenericObjects.set(o, "spec.compression", "zstd"),
            "spec.compression",
            "Unsupported value"),
        invalid(
            "backup.yaml",
            o -> GenericObjects.set(o, "spec.deletionPolicy", "Forget"),
            "spec.deletionPolicy",
            "Unsupported value"),
        invalid(
            "backup.yaml",
            o -> GenericObjects.set(o, "spec.job", Map.of("backoffLimit", -1)),
            "spec.job.backoffLimit",
            "greater than or equal to 0"),
        invalid(
            "backup.yaml",
            o -> GenericObjects.set(o, "spec.source.server.deploymentName", "Not_A_Name"),
            "spec.source.server.deploymentName",
            "should match"),
        invalid(
            "backup-postgresql.yaml",
            o -> GenericObjects.set(o, "spec.source.database.type", "mysql"),
            "spec.source.database",
            "schema applies to PostgreSQL only"),
        invalid(
            "backup-postgresql.yaml",
            o -> GenericObjects.remove(o, "spec.source.database.passwordSecretRef"),
            "spec.source.database.passwordSecretRef",
            "Required value"),
        invalid(
            "backup-postgresql.yaml",
            o -> GenericObjects.set(o, "spec.source.database.port", 70000),
            "spec.source.database.port",
            "less than or equal to 65535"),
        invalid(
            "backup-postgresql.yaml",
            o -> GenericObjects.set(o, "spec.storage.s3.endpoint", "minio:9000"),
            "spec.storage.s3.endpoint",
            "should match"),
        invalid(
            "restore.yaml",
            o ->
                GenericObjects.set(
                    o,
                    "spec.location",
                    Map.of(
                        "path",
                        "x.sql.gz",
                        "storage",
                        Map.of("persistentVolumeClaim", Map.of("claimName", "c")))),
            "spec",
            "set exactly one of backupName"),
        invalid(
            "restore.yaml",
            o -> GenericObjects.remove(o, "spec.backupName"),
            "spec",
            "set exactly one of backupName"),
        invalid(
            "restore.yaml",
            o -> GenericObjects.set(o, "spec.expectedSchemaVersion", "1.5"),
            "spec.expectedSchemaVersion",
            "should match"),
        invalid(
            "upgrade.yaml",
            o -> GenericObjects.set(o, "spec.targetVersion", "latest"),
            "spec.targetVersion",
            "should match"),
        invalid(
            "upgrade.yaml",
            o -> GenericObjects.remove(o, "spec.targetVersion"),
            "spec.targetVersion",
            "Required value"),
        invalid(
            "upgrade.yaml",
            o -> GenericObjects.set(o, "spec.backup", Map.of("enabled", false)),
            "spec.backup",
            "disabledAcknowledgement"),
        invalid(
            "upgrade.yaml",
            o ->
                GenericObjects.set(
                    o, "spec.backup", Map.of("enabled", false, "disabledAcknowledgement", "yes")),
            "spec.backup",
            "disabledAcknowledgement"),
        invalid(
            "upgrade.yaml",
            o -> GenericObjects.remove(o, "spec.backup.storage"),
            "spec.backup",
            "backup.storage is required"),
        invalid(
            "upgrade.yaml",
            o -> GenericObjects.set(o, "spec.migration", Map.of("timeoutSeconds", 5)),
            "spec.migration.timeoutSeconds",
            "greater than or equal to 60"),
        invalid(
            "upgrade.yaml",
            o -> GenericObjects.set(o, "spec.verification", Map.of("url", "openmetadata:8585")),
            "spec.verification.url",
            "should match"),
        invalid(
            "upgrade.yaml",
            o -> GenericObjects.set(o, "spec.preFlight", Map.of("enabled", false)),
            "spec.preFlight",
            PreFlightSpec.NO_PRE_FLIGHT_ACKNOWLEDGEMENT),
        invalid(
            "upgrade.yaml",
            o -> GenericObjects.set(o, "spec.rehearsal", Map.of("scratchDatabase", "om_rehearse")),
            "spec.rehearsal",
            "set enabled: true"),
        invalid(
            "upgrade-postgresql.yaml",
            o ->
                GenericObjects.set(
                    o,
                    "spec.preFlight",
                    Map.of(
                        "enabled",
                        false,
                        "disabledAcknowledgement",
                        PreFlightSpec.NO_PRE_FLIGHT_ACKNOWLEDGEMENT)),
            "spec",
            "rehearsal.enabled needs the pre-flight"));
  }

  @ParameterizedTest
  @MethodSource("invalidVariants")
  void invalidVariantsAreRejectedNamingTheField(
      String example, Consumer<GenericKubernetesResource> change, String field, String message) {
    GenericKubernetesResource object = example(example);
    change.accept(object);
    assertThatThrownBy(
            () ->
                namespace.client().resource(object).inNamespace(namespace.name()).dryRun().create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining(field)
        .hasMessageContaining(message);
  }

  @Test
  void backupWithoutAcknowledgementCanBeDisabledOnlyWithTheExactText() {
    GenericKubernetesResource upgrade = example("upgrade.yaml");
    GenericObjects.set(
        upgrade,
        "spec.backup",
        Map.of(
            "enabled", false, "disabledAcknowledgement", UpgradeBackup.NO_BACKUP_ACKNOWLEDGEMENT));
    namespace.client().resource(upgrade).inNamespace(namespace.name()).dryRun().create();
  }

  @Test
  void almExamplesOfTheOlmBundleAreAccepted() throws IOException {
    String csv =
        Files.readString(
            Path.of("deploy/olm/manifests/metadata-operator.clusterserviceversion.yaml"));
    GenericKubernetesResource parsed =
        Serialization.unmarshal(csv, GenericKubernetesResource.class);
    String examples = parsed.getMetadata().getAnnotations().get("alm-examples");
    List<GenericKubernetesResource> objects =
        List.of(Serialization.unmarshal(examples, GenericKubernetesResource[].class));
    assertThat(objects).hasSize(4);
    for (GenericKubernetesResource object : objects) {
      strictDryRunCreate(object);
    }
    // The check can fail: without Strict an unknown field is only a warning and would pass.
    GenericKubernetesResource misspelled = objects.get(0);
    GenericObjects.set(misspelled, "spec.compresion", "gzip");
    assertThatThrownBy(() -> strictDryRunCreate(misspelled))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("compresion");
  }

  private void strictDryRunCreate(GenericKubernetesResource object) {
    namespace
        .client()
        .resource(object)
        .inNamespace(namespace.name())
        .dryRun()
        .fieldValidation(FieldValidateable.Validation.STRICT)
        .create();
  }

  @Test
  void backupSpecIsImmutable() {
    GenericKubernetesResource backup = example("backup.yaml");
    backup.getMetadata().setName("immutable-backup");
    GenericKubernetesResource created =
        namespace.client().resource(backup).inNamespace(namespace.name()).create();
    GenericObjects.set(created, "spec.compression", "none");
    assertThatThrownBy(
            () -> namespace.client().resource(created).inNamespace(namespace.name()).update())
        .hasMessageContaining("spec")
        .hasMessageContaining("spec is immutable once created");
  }

  @Test
  void upgradeTargetVersionIsImmutableButApprovalsMayChange() {
    GenericKubernetesResource upgrade = example("upgrade.yaml");
    upgrade.getMetadata().setName("immutable-upgrade");
    GenericKubernetesResource created =
        namespace.client().resource(upgrade).inNamespace(namespace.name()).create();
    GenericObjects.set(
        created, "spec.approvedChanges", List.of("1.5/owners", "1.3/alerts-deleted"));
    GenericKubernetesResource updated =
        namespace.client().resource(created).inNamespace(namespace.name()).update();
    GenericObjects.set(updated, "spec.targetVersion", "1.6.0");
    assertThatThrownBy(
            () -> namespace.client().resource(updated).inNamespace(namespace.name()).update())
        .hasMessageContaining("spec.targetVersion")
        .hasMessageContaining("targetVersion is immutable");
  }

  @Test
  void defaultsAreFilledByTheApiServer() {
    GenericKubernetesResource created =
        namespace
            .client()
            .resource(example("backup.yaml"))
            .inNamespace(namespace.name())
            .dryRun()
            .create();
    assertThat(GenericObjects.get(created, "spec.storage.persistentVolumeClaim.claimName"))
        .isEqualTo("openmetadata-backups");
    GenericKubernetesResource upgrade =
        namespace
            .client()
            .resource(example("upgrade.yaml"))
            .inNamespace(namespace.name())
            .dryRun()
            .create();
    assertThat(GenericObjects.get(upgrade, "spec.backup.enabled")).isEqualTo(true);
    assertThat(GenericObjects.get(upgrade, "spec.paused")).isEqualTo(false);
  }

  private static Arguments invalid(
      String example, Consumer<GenericKubernetesResource> change, String field, String message) {
    return Arguments.of(example, change, field, message);
  }

  private static Map<String, Object> database(String type) {
    return Map.of(
        "type", type,
        "host", "db",
        "name", "openmetadata_db",
        "user", "openmetadata_user",
        "passwordSecretRef", Map.of("name", "s", "key", "k"));
  }

  static GenericKubernetesResource example(String name) {
    try {
      return Serialization.unmarshal(
          Files.readString(Path.of("examples", name)), GenericKubernetesResource.class);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read examples/" + name, e);
    }
  }
}
