package io.metadataops.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class DatabaseEnvTest {

  private static final Map<String, ConfigMap> CONFIG_MAPS =
      Map.of(
          "om-db",
          new ConfigMapBuilder()
              .withNewMetadata()
              .withName("om-db")
              .endMetadata()
              .withData(Map.of("DB_HOST", "mysql.db.svc", "OM_DATABASE", "om", "host", "pg.db.svc"))
              .build());

  @Test
  void copiesDeclaredSettingsAndKeepsThePasswordAReference() {
    Container server =
        base()
            .addNewEnv()
            .withName("DB_HOST")
            .withValue("mysql")
            .endEnv()
            .addNewEnv()
            .withName("DB_USER_PASSWORD")
            .withNewValueFrom()
            .withNewSecretKeyRef("pw", "mysql-secrets", false)
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("UNRELATED")
            .withValue("x")
            .endEnv()
            .build();
    DatabaseEnv.Resolution resolution = DatabaseEnv.resolve(server, CONFIG_MAPS::get);
    assertThat(resolution.problems()).isEmpty();
    assertThat(resolution.env()).extracting(EnvVar::getName).doesNotContain("UNRELATED");
    EnvVar password = find(resolution, "DB_USER_PASSWORD");
    assertThat(password.getValue()).isNull();
    assertThat(password.getValueFrom().getSecretKeyRef().getName()).isEqualTo("mysql-secrets");
    assertThat(resolution.literal("DB_SCHEME")).contains("mysql");
    assertThat(find(resolution, "DB_PORT").getValue()).isEqualTo("3306");
    assertThat(find(resolution, "OM_DATABASE").getValue()).isEqualTo("openmetadata_db");
  }

  @Test
  void keepsTheVariablesASettingExpandsFrom() {
    Container server =
        base()
            .addNewEnv()
            .withName("MYSQL_SERVICE")
            .withValue("mysql.prod.svc")
            .endEnv()
            .addNewEnv()
            .withName("DB_HOST")
            .withValue("$(MYSQL_SERVICE)")
            .endEnv()
            .addNewEnv()
            .withName("DB_USER_PASSWORD")
            .withValue("ignored-in-this-test")
            .endEnv()
            .build();
    assertThat(DatabaseEnv.resolve(server, CONFIG_MAPS::get).env())
        .extracting(EnvVar::getName)
        .containsSubsequence("MYSQL_SERVICE", "DB_HOST");
  }

  @Test
  void settingsFromAConfigMapEnvFromAreFoundWithTheirPrefix() {
    Container server =
        base()
            .addNewEnvFrom()
            .withNewConfigMapRef("om-db", false)
            .endEnvFrom()
            .addNewEnv()
            .withName("DB_USER_PASSWORD")
            .withNewValueFrom()
            .withNewSecretKeyRef("pw", "s", false)
            .endValueFrom()
            .endEnv()
            .build();
    DatabaseEnv.Resolution resolution = DatabaseEnv.resolve(server, CONFIG_MAPS::get);
    assertThat(resolution.problems()).isEmpty();
    assertThat(resolution.envFrom()).hasSize(1);
    assertThat(resolution.literal("DB_HOST")).contains("mysql.db.svc");
    assertThat(resolution.literal("OM_DATABASE")).contains("om");
  }

  @Test
  void aMissingHostIsAProblemNamingTheSetting() {
    Container server =
        base().addNewEnv().withName("DB_USER_PASSWORD").withValue("x").endEnv().build();
    assertThat(DatabaseEnv.resolve(server, CONFIG_MAPS::get).problems())
        .singleElement()
        .asString()
        .contains("DB_HOST")
        .contains("openmetadata");
  }

  @Test
  void aSecretEnvFromMayProvideAnything() {
    Container server =
        base().addNewEnvFrom().withNewSecretRef("db-settings", false).endEnvFrom().build();
    assertThat(DatabaseEnv.resolve(server, CONFIG_MAPS::get).problems()).isEmpty();
  }

  @Test
  void missingConfigMapsAndKeysAreProblemsUnlessOptional() {
    Container required =
        base()
            .addNewEnv()
            .withName("DB_HOST")
            .withNewValueFrom()
            .withNewConfigMapKeyRef("nope", "gone", false)
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("DB_PORT")
            .withNewValueFrom()
            .withNewConfigMapKeyRef("missing-key", "om-db", false)
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("DB_USER_PASSWORD")
            .withValue("x")
            .endEnv()
            .build();
    assertThat(DatabaseEnv.resolve(required, CONFIG_MAPS::get).problems())
        .hasSize(2)
        .anySatisfy(p -> assertThat(p).contains("ConfigMap gone"))
        .anySatisfy(p -> assertThat(p).contains("key missing-key of ConfigMap om-db"));
    Container optional =
        base()
            .addNewEnv()
            .withName("DB_HOST")
            .withValue("h")
            .endEnv()
            .addNewEnv()
            .withName("DB_PARAMS")
            .withNewValueFrom()
            .withNewConfigMapKeyRef("p", "gone", true)
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("DB_USER_PASSWORD")
            .withNewValueFrom()
            .withNewSecretKeyRef("pw", "s", true)
            .endValueFrom()
            .endEnv()
            .addNewEnvFrom()
            .withNewConfigMapRef("also-gone", true)
            .endEnvFrom()
            .build();
    assertThat(DatabaseEnv.resolve(optional, CONFIG_MAPS::get).problems()).isEmpty();
  }

  private static ContainerBuilder base() {
    return new ContainerBuilder().withName("openmetadata").withImage("openmetadata/server:1.5.2");
  }

  private static EnvVar find(DatabaseEnv.Resolution resolution, String name) {
    return resolution.env().stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
