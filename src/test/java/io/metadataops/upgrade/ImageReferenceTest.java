package io.metadataops.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("unit")
class ImageReferenceTest {

  private static final String DIGEST =
      "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  @ParameterizedTest
  @CsvSource({
    // reference, registry, repository, tag, digest
    "docker.getcollate.io/openmetadata/server:1.5.0, docker.getcollate.io, openmetadata/server, 1.5.0,",
    "openmetadata/server:1.2.0,                      docker.io,            openmetadata/server, 1.2.0,",
    "openmetadata/server,                            docker.io,            openmetadata/server,      ,",
    "localhost:5000/om/server:1.10.1,                localhost:5000,       om/server,           1.10.1,",
    "registry.local:5000/om/server,                  registry.local:5000,  om/server,                ,",
    "localhost/om/server:v1.9.3,                     localhost,            om/server,           v1.9.3,",
    "ghcr.io/a/b/c/server:1.5.0.0,                   ghcr.io,              a/b/c/server,        1.5.0.0,",
    "busybox,                                        docker.io,            busybox,                  ,",
    "'openmetadata/server:1.5.0@"
        + DIGEST
        + "',     docker.io,            openmetadata/server, 1.5.0, "
        + DIGEST,
    "'quay.io/om/server@"
        + DIGEST
        + "',             quay.io,              om/server,                , "
        + DIGEST,
  })
  void parsesAndRoundTrips(
      String text, String registry, String repository, String tag, String digest) {
    ImageReference image = ImageReference.parse(text);

    assertThat(image.registry()).isEqualTo(registry);
    assertThat(image.repository()).isEqualTo(repository);
    assertThat(image.tag()).isEqualTo(Optional.ofNullable(tag));
    assertThat(image.digest()).isEqualTo(Optional.ofNullable(digest));
    assertThat(image).hasToString(text);
  }

  @ParameterizedTest
  @CsvSource({
    "docker.getcollate.io/openmetadata/server:1.4.8, 1.5.0, docker.getcollate.io/openmetadata/server:1.5.0",
    "localhost:5000/om/server,                       1.5.0, localhost:5000/om/server:1.5.0",
    "'om/server:1.4.8@" + DIGEST + "',               1.5.0, om/server:1.5.0",
  })
  void withTagKeepsRegistryAndRepositoryAndDropsTheDigest(
      String current, String tag, String expected) {
    assertThat(ImageReference.parse(current).withTag(tag)).hasToString(expected);
  }

  @Test
  void tagVersionReadsTheCurrentVersion() {
    assertThat(ImageReference.parse("om/server:1.10.1").tagVersion())
        .contains(Version.of(1, 10, 1));
    assertThat(ImageReference.parse("om/server:latest").tagVersion()).isEmpty();
    assertThat(ImageReference.parse("om/server").tagVersion()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " om/server:1.0.0",
        "OpenMetadata/Server:1.0.0",
        "om/server:",
        "om/server:bad tag",
        "om//server",
        "om/server@sha256:short",
        "bad_host:x/om/server",
      })
  void rejectsMalformedReferencesNamingThem(String text) {
    assertThatThrownBy(() -> ImageReference.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'")
        .hasMessageContaining("expected");
  }

  @Test
  void rejectsABadNewTag() {
    assertThatThrownBy(() -> ImageReference.parse("om/server:1.0.0").withTag("1.0.0 "))
        .hasMessageContaining("'1.0.0 '");
  }
}
