package io.metadataops.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * deploy/olm is a bundle OLM accepts: checked structurally, as `operator-sdk bundle validate`
 * would.
 */
@Tag("unit")
class OlmBundleTest {

  private static final Path OLM = Path.of("deploy/olm");
  private static final String SEMVER =
      "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$";

  @Test
  void exactlyOneClusterServiceVersionWithASemverVersion() throws IOException {
    List<JsonNode> csvs = manifestsOfKind("ClusterServiceVersion");
    assertThat(csvs).hasSize(1);
    JsonNode csv = csvs.get(0);
    String version = csv.at("/spec/version").asText();
    assertThat(version).matches(SEMVER);
    assertThat(csv.at("/metadata/name").asText()).isEqualTo(packageName() + ".v" + version);
    assertThat(csv.at("/spec/displayName").asText()).isNotBlank();
    assertThat(csv.at("/spec/description").asText()).isNotBlank();
    assertThat(csv.at("/spec/provider/name").asText()).isNotBlank();
    assertThat(csv.at("/spec/maturity").asText()).isNotBlank();
  }

  @Test
  void ownedCrdsAreTheShippedCrdsByteForByte() throws IOException {
    JsonNode csv = manifestsOfKind("ClusterServiceVersion").get(0);
    Set<String> owned = new TreeSet<>();
    for (JsonNode entry : csv.at("/spec/customresourcedefinitions/owned")) {
      owned.add(entry.get("name").asText());
      assertThat(entry.get("description").asText()).as("description of %s", entry).isNotBlank();
      assertThat(entry.get("version").asText()).isEqualTo("v1alpha1");
    }
    Map<String, String> bundled = new TreeMap<>();
    for (JsonNode crd : manifestsOfKind("CustomResourceDefinition")) {
      bundled.put(crd.at("/metadata/name").asText(), crd.at("/metadata/name").asText());
    }
    assertThat(bundled.keySet()).isEqualTo(owned);
    try (Stream<Path> crds = Files.list(Path.of("deploy/crds"))) {
      for (Path crd : crds.toList()) {
        String name = crd.getFileName().toString().replace(".yaml", "");
        assertThat(owned).contains(name);
        assertThat(Files.readString(OLM.resolve("manifests/" + name + ".crd.yaml")))
            .isEqualTo(Files.readString(crd));
      }
    }
  }

  @Test
  void almExamplesCoverEveryOwnedKind() throws IOException {
    JsonNode csv = manifestsOfKind("ClusterServiceVersion").get(0);
    JsonNode examples =
        new ObjectMapper().readTree(csv.at("/metadata/annotations/alm-examples").asText());
    Set<String> kinds = new TreeSet<>();
    examples.forEach(example -> kinds.add(example.get("kind").asText()));
    Set<String> owned = new TreeSet<>();
    csv.at("/spec/customresourcedefinitions/owned").forEach(o -> owned.add(o.get("kind").asText()));
    assertThat(kinds).isEqualTo(owned);
    examples.forEach(
        example ->
            assertThat(example.get("apiVersion").asText()).isEqualTo("metadataops.io/v1alpha1"));
  }

  @Test
  void everyInstallModeIsDeclared() throws IOException {
    JsonNode csv = manifestsOfKind("ClusterServiceVersion").get(0);
    Map<String, Boolean> modes = new TreeMap<>();
    csv.at("/spec/installModes")
        .forEach(m -> modes.put(m.get("type").asText(), m.get("supported").asBoolean()));
    // The operator watches WATCH_NAMESPACES (OLM's target namespaces) or all: every mode works.
    assertThat(modes)
        .containsOnlyKeys("OwnNamespace", "SingleNamespace", "MultiNamespace", "AllNamespaces")
        .doesNotContainValue(false);
  }

  @Test
  void csvAnnotationsNameTheInstalledImageAndAKnownCapabilityLevel() throws IOException {
    JsonNode csv = manifestsOfKind("ClusterServiceVersion").get(0);
    JsonNode annotations = csv.at("/metadata/annotations");
    String installed =
        csv.at("/spec/install/spec/deployments/0/spec/template/spec/containers/0/image").asText();
    assertThat(annotations.at("/containerImage").asText()).isEqualTo(installed);
    assertThat(installed)
        .isEqualTo(
            DeployManifests.readYaml(
                    Files.readString(Path.of("deploy/operator/04-deployment.yaml")))
                .at("/spec/template/spec/containers/0/image")
                .asText());
    assertThat(annotations.at("/capabilities").asText())
        .isIn(
            "Basic Install", "Seamless Upgrades", "Full Lifecycle", "Deep Insights", "Auto Pilot");
    assertThat(annotations.at("/categories").asText()).isNotBlank();
    assertThat(annotations.at("/repository").asText()).startsWith("https://");
  }

  @Test
  void installUsesTheOperatorDeploymentAndItsLeastPrivilegeRules() throws IOException {
    JsonNode csv = manifestsOfKind("ClusterServiceVersion").get(0);
    JsonNode install = csv.at("/spec/install/spec");
    assertThat(csv.at("/spec/install/strategy").asText()).isEqualTo("deployment");
    JsonNode rules = install.at("/clusterPermissions/0/rules");
    List<String> resources = new ArrayList<>();
    rules.forEach(rule -> rule.get("resources").forEach(r -> resources.add(r.asText())));
    assertThat(resources).doesNotContain("secrets", "*");
    JsonNode container = install.at("/deployments/0/spec/template/spec/containers/0");
    assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
    List<String> watched = new ArrayList<>();
    container
        .at("/env")
        .forEach(
            env -> {
              if (env.get("name").asText().equals("WATCH_NAMESPACES")) {
                watched.add(env.at("/valueFrom/fieldRef/fieldPath").asText());
              }
            });
    assertThat(watched)
        .as("the install modes work only if the operator watches OLM's target namespaces")
        .containsExactly("metadata.annotations['olm.targetNamespaces']");
  }

  @Test
  void annotationsAndDockerfileLabelsAgree() throws IOException {
    JsonNode annotations =
        DeployManifests.readYaml(Files.readString(OLM.resolve("metadata/annotations.yaml")));
    String dockerfile = Files.readString(OLM.resolve("bundle.Dockerfile"));
    for (String required :
        List.of(
            "operators.operatorframework.io.bundle.mediatype.v1",
            "operators.operatorframework.io.bundle.manifests.v1",
            "operators.operatorframework.io.bundle.metadata.v1",
            "operators.operatorframework.io.bundle.package.v1",
            "operators.operatorframework.io.bundle.channels.v1")) {
      String value = annotations.at("/annotations/" + required.replace("/", "~1")).asText();
      assertThat(value).as(required).isNotBlank();
      assertThat(dockerfile).contains("LABEL " + required + "=" + value);
    }
    assertThat(
            annotations
                .at("/annotations/operators.operatorframework.io.bundle.mediatype.v1")
                .asText())
        .isEqualTo("registry+v1");
  }

  private static String packageName() throws IOException {
    return DeployManifests.readYaml(Files.readString(OLM.resolve("metadata/annotations.yaml")))
        .at("/annotations/operators.operatorframework.io.bundle.package.v1")
        .asText();
  }

  private static List<JsonNode> manifestsOfKind(String kind) throws IOException {
    List<JsonNode> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(OLM.resolve("manifests"))) {
      for (Path file : files.sorted().toList()) {
        JsonNode manifest = DeployManifests.readYaml(Files.readString(file));
        if (kind.equals(manifest.get("kind").asText())) {
          found.add(manifest);
        }
      }
    }
    return found;
  }
}
