package io.metadataops.upgrade;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A container image reference {@code [registry[:port]/]repository[:tag][@digest]}, kept as written
 * so that {@link #toString()} gives back the input.
 *
 * <p>The operator derives the target image from the running one ("same registry and repository, new
 * tag") and the current version from its tag.
 *
 * @param name registry (if written) and repository, e.g. {@code
 *     docker.getcollate.io/openmetadata/server}
 */
public record ImageReference(String name, Optional<String> tag, Optional<String> digest) {

  /** Docker's implicit registry for references that name none. */
  public static final String DEFAULT_REGISTRY = "docker.io";

  private static final String EXPECTED_FORM =
      "[registry[:port]/]repository[:tag][@algorithm:hex],"
          + " e.g. docker.getcollate.io/openmetadata/server:1.5.0";

  // The grammar of github.com/distribution/reference, without its 255-character name limit.
  private static final Pattern PATH_COMPONENT =
      Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern REGISTRY =
      Pattern.compile("(?:[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*|\\[[0-9A-Fa-f:]+])(?::[0-9]+)?");
  private static final Pattern TAG = Pattern.compile("\\w[\\w.-]{0,127}");
  private static final Pattern DIGEST =
      Pattern.compile("[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}");

  public ImageReference {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(digest, "digest");
  }

  /**
   * Parses an image reference.
   *
   * @throws IllegalArgumentException naming the input and the expected form
   */
  public static ImageReference parse(String text) {
    if (text == null || text.isBlank() || !text.equals(text.strip())) {
      throw invalid(text, "it is empty or has surrounding spaces");
    }
    String rest = text;
    Optional<String> digest = Optional.empty();
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = Optional.of(rest.substring(at + 1));
      rest = rest.substring(0, at);
      if (!DIGEST.matcher(digest.get()).matches()) {
        throw invalid(text, "the digest '" + digest.get() + "' is malformed");
      }
    }
    Optional<String> tag = Optional.empty();
    // A colon after the last slash separates the tag; one before it belongs to a registry port.
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = Optional.of(rest.substring(colon + 1));
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag.get()).matches()) {
        throw invalid(text, "the tag '" + tag.get() + "' is malformed");
      }
    }
    ImageReference reference = new ImageReference(rest, tag, digest);
    if (reference.explicitRegistry().filter(r -> !REGISTRY.matcher(r).matches()).isPresent()) {
      throw invalid(text, "the registry '" + reference.registry() + "' is malformed");
    }
    for (String component : reference.repository().split("/", -1)) {
      if (!PATH_COMPONENT.matcher(component).matches()) {
        throw invalid(
            text, "the repository part '" + component + "' is not lower-case letters and digits");
      }
    }
    return reference;
  }

  private static IllegalArgumentException invalid(String text, String why) {
    return new IllegalArgumentException(
        "'" + text + "' is not an image reference (" + why + "): expected " + EXPECTED_FORM);
  }

  /** The registry host (and port), {@value #DEFAULT_REGISTRY} when the reference names none. */
  public String registry() {
    return explicitRegistry().orElse(DEFAULT_REGISTRY);
  }

  /** The repository path without the registry, e.g. {@code openmetadata/server}. */
  public String repository() {
    return explicitRegistry().map(r -> name.substring(r.length() + 1)).orElse(name);
  }

  /** The version the tag names, empty without a tag or for tags like {@code latest}. */
  public Optional<Version> tagVersion() {
    return tag.flatMap(Version::tryParse);
  }

  /**
   * The same registry and repository with another tag. The digest is dropped: it pins the old image
   * and would make the runtime ignore the new tag.
   */
  public ImageReference withTag(String newTag) {
    if (newTag == null || !TAG.matcher(newTag).matches()) {
      throw new IllegalArgumentException(
          "'" + newTag + "' is not an image tag: expected letters, digits, '_', '.' or '-'");
    }
    return new ImageReference(name, Optional.of(newTag), Optional.empty());
  }

  @Override
  public String toString() {
    return name + tag.map(t -> ":" + t).orElse("") + digest.map(d -> "@" + d).orElse("");
  }

  // Docker's rule: the first component is a registry when it looks like a host (has a dot or a
  // port, or is localhost); otherwise the whole name is a repository on Docker Hub.
  private Optional<String> explicitRegistry() {
    int slash = name.indexOf('/');
    if (slash < 0) {
      return Optional.empty();
    }
    String first = name.substring(0, slash);
    boolean looksLikeHost =
        first.contains(".")
            || first.contains(":")
            || first.equals("localhost")
            || first.startsWith("[");
    return looksLikeHost ? Optional.of(first) : Optional.empty();
  }
}
