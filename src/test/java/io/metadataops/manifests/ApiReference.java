package io.metadataops.manifests;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.List;
import java.util.Map;

/** Renders the README's API reference from the CRDs, so it cannot drift from them. */
final class ApiReference {

  /** Types borrowed from Kubernetes are referenced, not expanded. */
  private static final List<String> OPAQUE = List.of("resources", "imagePullSecrets", "conditions");

  private ApiReference() {}

  static String render(List<CustomResourceDefinition> crds) {
    StringBuilder out = new StringBuilder();
    for (CustomResourceDefinition crd : crds) {
      var names = crd.getSpec().getNames();
      CustomResourceDefinitionVersion version = crd.getSpec().getVersions().get(0);
      out.append("\n### ").append(names.getKind()).append("\n\n");
      out.append("`")
          .append(crd.getSpec().getGroup())
          .append('/')
          .append(version.getName())
          .append("`, short names: ")
          .append(
              String.join(", ", names.getShortNames().stream().map(n -> "`" + n + "`").toList()))
          .append(". ")
          .append(DeployManifests.KIND_DESCRIPTIONS.get(names.getKind()))
          .append("\n\n| Field | Type | Default | Description |\n|---|---|---|---|\n");
      Map<String, JSONSchemaProps> top = version.getSchema().getOpenAPIV3Schema().getProperties();
      field(out, "spec", top.get("spec"), false);
      field(out, "status", top.get("status"), false);
    }
    return out.toString();
  }

  private static void field(
      StringBuilder out, String path, JSONSchemaProps schema, boolean required) {
    out.append("| `")
        .append(path)
        .append("`")
        .append(required ? " (required)" : "")
        .append(" | ")
        .append(type(schema))
        .append(" | ")
        .append(
            schema.getDefault() == null
                ? ""
                : "`" + schema.getDefault().toString().replace("\"", "") + "`")
        .append(" | ")
        .append(cell(schema.getDescription()))
        .append(rules(schema))
        .append(" |\n");
    String leaf = path.substring(path.lastIndexOf('.') + 1).replace("[]", "");
    if (OPAQUE.contains(leaf)) {
      return;
    }
    JSONSchemaProps object =
        schema.getItems() != null && schema.getItems().getSchema() != null
            ? schema.getItems().getSchema()
            : schema;
    if (object.getProperties() == null) {
      return;
    }
    String prefix = object == schema ? path : path + "[]";
    List<String> requiredFields = object.getRequired() == null ? List.of() : object.getRequired();
    object
        .getProperties()
        .forEach(
            (name, child) -> field(out, prefix + "." + name, child, requiredFields.contains(name)));
  }

  private static String type(JSONSchemaProps schema) {
    if (schema.getEnum() != null && !schema.getEnum().isEmpty()) {
      return String.join(
          " \\| ", schema.getEnum().stream().map(e -> e.toString().replace("\"", "")).toList());
    }
    if ("array".equals(schema.getType()) && schema.getItems() != null) {
      return "[]" + schema.getItems().getSchema().getType();
    }
    return schema.getType() == null ? "object" : schema.getType();
  }

  private static String rules(JSONSchemaProps schema) {
    StringBuilder rules = new StringBuilder();
    if (schema.getPattern() != null) {
      rules.append(" Pattern: `").append(schema.getPattern().replace("|", "\\|")).append("`.");
    }
    if (schema.getMinimum() != null) {
      rules.append(" Minimum: ").append(schema.getMinimum().longValue()).append('.');
    }
    if (schema.getXKubernetesValidations() != null) {
      for (ValidationRule rule : schema.getXKubernetesValidations()) {
        rules.append(" Rule: ").append(cell(rule.getMessage())).append('.');
      }
    }
    return rules.toString();
  }

  private static String cell(String text) {
    return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
  }
}
