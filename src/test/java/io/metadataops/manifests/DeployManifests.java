package io.metadataops.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Turns what the Quarkus build generates (target/kubernetes, target/bundle) into the committed
 * deploy/crds and deploy/olm trees, and the API reference docs/api.md. One function, used both to
 * write them ({@code make manifests}) and to check they are current (a test), so the two can never
 * disagree.
 */
public final class DeployManifests {

  static final String BUNDLE = "metadata-operator";

  /** The generated API reference, a whole file. */
  static final String API_REFERENCE = "docs/api.md";

  /** alm-examples: one example per kind, in this order. */
  static final List<String> ALM_EXAMPLES =
      List.of(
          "examples/backup.yaml",
          "examples/restore.yaml",
          "examples/upgrade.yaml",
          "examples/backup-schedule.yaml");

  static final Map<String, String> KIND_DESCRIPTIONS =
      Map.of(
          "MetadataBackup",
          "A consistent backup of an OpenMetadata database, taken by a Job.",
          "MetadataBackupSchedule",
          "Creates MetadataBackups on a cron schedule, one at a time per database, and prunes old"
              + " ones.",
          "MetadataRestore",
          "Puts a MetadataBackup (or a stored dump) back into a database.",
          "MetadataUpgrade",
          "Upgrades an OpenMetadata server: backup, review, migrate, roll out, verify, roll"
              + " back on failure.");

  private static final ObjectMapper YAML =
      new ObjectMapper(
          new YAMLFactory()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR));
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path root;

  public DeployManifests(Path root) {
    this.root = root;
  }

  /** Every generated file, by path relative to the project root, in a stable order. */
  public Map<String, String> generate() {
    Map<String, String> files = new TreeMap<>();
    List<CustomResourceDefinition> crds = crds();
    for (CustomResourceDefinition crd : crds) {
      String yaml = toYaml(crd);
      files.put("deploy/crds/" + crd.getMetadata().getName() + ".yaml", yaml);
      files.put("deploy/olm/manifests/" + crd.getMetadata().getName() + ".crd.yaml", yaml);
    }
    Path bundle = root.resolve("target/bundle/" + BUNDLE);
    files.put(
        "deploy/olm/manifests/" + BUNDLE + ".clusterserviceversion.yaml",
        clusterServiceVersion(crds));
    files.put(
        "deploy/olm/metadata/annotations.yaml", read(bundle.resolve("metadata/annotations.yaml")));
    files.put("deploy/olm/bundle.Dockerfile", read(bundle.resolve("bundle.Dockerfile")));
    files.put("deploy/argocd/argocd-cm-patch.yaml", argoHealthChecks());
    files.put(API_REFERENCE, ApiReference.document(crds));
    return files;
  }

  /** The generated CRDs, with the printer columns in declaration order and Age last. */
  List<CustomResourceDefinition> crds() {
    try (Stream<Path> paths = Files.list(root.resolve("target/kubernetes"))) {
      return paths
          .filter(p -> p.getFileName().toString().endsWith("-v1.yml"))
          .sorted()
          .map(p -> Serialization.unmarshal(read(p), CustomResourceDefinition.class))
          .peek(DeployManifests::putAgeLast)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot list target/kubernetes: run `./mvnw package` (or `make manifests`) first", e);
    }
  }

  private static void putAgeLast(CustomResourceDefinition crd) {
    crd.getSpec()
        .getVersions()
        .forEach(
            version -> {
              List<CustomResourceColumnDefinition> columns =
                  new ArrayList<>(version.getAdditionalPrinterColumns());
              columns.sort(Comparator.comparing(c -> "Age".equals(c.getName())));
              version.setAdditionalPrinterColumns(columns);
            });
  }

  private String clusterServiceVersion(List<CustomResourceDefinition> crds) {
    Path generated =
        root.resolve(
            "target/bundle/" + BUNDLE + "/manifests/" + BUNDLE + ".clusterserviceversion.yaml");
    ObjectNode csv = (ObjectNode) readYaml(read(generated));
    ObjectNode annotations = ((ObjectNode) csv.get("metadata")).withObject("annotations");
    ArrayNode examples = JSON.createArrayNode();
    ALM_EXAMPLES.forEach(example -> examples.add(readYaml(read(root.resolve(example)))));
    annotations.put("alm-examples", prettyJson(examples));

    ObjectNode spec = (ObjectNode) csv.get("spec");
    ArrayNode owned = spec.withObject("customresourcedefinitions").withArray("owned");
    for (JsonNode entry : owned) {
      String kind = entry.get("kind").asText();
      ((ObjectNode) entry).put("displayName", kind);
      ((ObjectNode) entry).put("description", KIND_DESCRIPTIONS.get(kind));
    }

    ObjectNode install = spec.withObject("install").withObject("spec");
    JsonNode clusterRole = readYaml(read(root.resolve("deploy/operator/02-clusterrole.yaml")));
    JsonNode serviceAccount =
        readYaml(read(root.resolve("deploy/operator/01-serviceaccount.yaml")));
    ObjectNode permission = JSON.createObjectNode();
    permission.put("serviceAccountName", serviceAccount.at("/metadata/name").asText());
    permission.set("rules", clusterRole.get("rules"));
    install.set("clusterPermissions", JSON.createArrayNode().add(permission));

    JsonNode deployment = readYaml(read(root.resolve("deploy/operator/04-deployment.yaml")));
    ObjectNode installDeployment = JSON.createObjectNode();
    installDeployment.put("name", deployment.at("/metadata/name").asText());
    installDeployment.set("spec", deployment.get("spec"));
    watchTargetNamespaces((ObjectNode) deployment.at("/spec/template/spec/containers/0"));
    install.set("deployments", JSON.createArrayNode().add(installDeployment));
    return toYaml(csv);
  }

  /**
   * Under OLM the operator watches the OperatorGroup's target namespaces, which OLM writes into the
   * pod annotation {@code olm.targetNamespaces} (empty for AllNamespaces: then every namespace).
   */
  private static void watchTargetNamespaces(ObjectNode container) {
    ObjectNode env = JSON.createObjectNode();
    env.put("name", "WATCH_NAMESPACES");
    env.putObject("valueFrom")
        .putObject("fieldRef")
        .put("fieldPath", "metadata.annotations['olm.targetNamespaces']");
    container.withArray("env").add(env);
  }

  /** Which Argo CD health script (deploy/argocd/health) judges which kind. */
  static final Map<String, String> HEALTH_SCRIPTS =
      new TreeMap<>(
          Map.of(
              "MetadataBackup", "one-shot.lua",
              "MetadataRestore", "one-shot.lua",
              "MetadataUpgrade", "upgrade.lua",
              "MetadataBackupSchedule", "schedule.lua"));

  /** A complete health script: the shared condition helper, then the kind's own rules. */
  public static String healthScript(Path root, String script) {
    Path health = root.resolve("deploy/argocd/health");
    return read(health.resolve("conditions.lua")) + read(health.resolve(script));
  }

  /** The argocd-cm patch that installs the health checks, built from the scripts themselves. */
  private String argoHealthChecks() {
    ObjectNode patch = JSON.createObjectNode();
    patch.put("apiVersion", "v1");
    patch.put("kind", "ConfigMap");
    ObjectNode metadata = patch.putObject("metadata");
    metadata.put("name", "argocd-cm");
    metadata.put("namespace", "argocd");
    ObjectNode data = patch.putObject("data");
    HEALTH_SCRIPTS.forEach(
        (kind, script) ->
            data.put(
                "resource.customizations.health.metadataops.io_" + kind,
                healthScript(root, script)));
    return "# Generated by `make manifests` from deploy/argocd/health/*.lua. Install with:\n"
        + "#   kubectl -n argocd patch configmap argocd-cm --patch-file"
        + " deploy/argocd/argocd-cm-patch.yaml\n"
        + toYaml(patch);
  }

  static String toYaml(Object value) {
    try {
      return YAML.writeValueAsString(value instanceof JsonNode ? value : JSON.valueToTree(value));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String prettyJson(JsonNode node) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode readYaml(String text) {
    try {
      return YAML.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path path) {
    try {
      return Files.readString(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  /** Writes the generated files; {@code make manifests} runs this. */
  public static void main(String[] args) throws IOException {
    Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
    for (Map.Entry<String, String> file : new DeployManifests(root).generate().entrySet()) {
      Path target = root.resolve(file.getKey());
      Files.createDirectories(target.getParent());
      Files.writeString(target, file.getValue());
      System.out.println("wrote " + file.getKey());
    }
  }
}
