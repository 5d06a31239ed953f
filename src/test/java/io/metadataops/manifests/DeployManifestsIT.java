package io.metadataops.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * deploy/crds, deploy/olm, deploy/argocd/argocd-cm-patch.yaml and the API reference docs/api.md
 * must be exactly what the build generates ({@code make manifests} writes them).
 */
@Tag("unit")
class DeployManifestsIT {

  private final Path root = Path.of("").toAbsolutePath();
  private final Map<String, String> generated = new DeployManifests(root).generate();

  @Test
  void committedFilesEqualGeneratedOnes() throws IOException {
    for (Map.Entry<String, String> file : generated.entrySet()) {
      Path committed = root.resolve(file.getKey());
      assertThat(committed).as("%s is missing: run `make manifests`", file.getKey()).exists();
      assertThat(Files.readString(committed))
          .as("%s differs from what the build generates: run `make manifests`", file.getKey())
          .isEqualTo(file.getValue());
    }
  }

  @Test
  void noStaleFilesUnderGeneratedDirectories() throws IOException {
    Set<String> committed = new TreeSet<>();
    for (String dir : new String[] {"deploy/crds", "deploy/olm"}) {
      try (Stream<Path> files = Files.walk(root.resolve(dir))) {
        committed.addAll(
            files
                .filter(Files::isRegularFile)
                .map(p -> root.relativize(p).toString())
                .collect(Collectors.toSet()));
      }
    }
    assertThat(committed)
        .as("files under deploy/crds and deploy/olm that the build no longer generates")
        .isEqualTo(
            generated.keySet().stream()
                .filter(k -> k.startsWith("deploy/crds/") || k.startsWith("deploy/olm/"))
                .collect(Collectors.toCollection(TreeSet::new)));
  }

  @Test
  void readmeLinksTheGeneratedApiReferenceInsteadOfCopyingIt() throws IOException {
    String readme = Files.readString(root.resolve("README.md"));
    assertThat(readme)
        .as("README.md must link the generated API reference %s", DeployManifests.API_REFERENCE)
        .contains("(" + DeployManifests.API_REFERENCE + ")");
    assertThat(readme)
        .as(
            "README.md must not carry a copy of the API reference (%s is the generated one,"
                + " `make manifests` does not update README.md)",
            DeployManifests.API_REFERENCE)
        .doesNotContain("api-reference:start")
        .doesNotContain("| `spec.");
  }
}
