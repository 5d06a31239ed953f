package io.metadataops.upgrade;

import java.util.Collection;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenMetadata version, compared numerically part by part.
 *
 * <p>Covers 3-part server versions ({@code 1.10.0}), 4-part ingestion image tags ({@code 1.5.0.0}),
 * an optional leading {@code v} and a suffix after a dash ({@code 1.7.0-extension}, as found in
 * {@code SERVER_CHANGE_LOG}). Numeric comparison matters: upstream once compared strings, which put
 * {@code 1.10} below {@code 1.9}.
 *
 * @param build the fourth part of an ingestion tag; empty for server versions
 * @param suffix what follows the first dash; empty for a plain version
 */
public record Version(int major, int minor, int patch, OptionalInt build, Optional<String> suffix)
    implements Ordered<Version> {

  private static final Pattern FORM =
      Pattern.compile(
          "[vV]?(\\d{1,9})\\.(\\d{1,9})\\.(\\d{1,9})(?:\\.(\\d{1,9}))?(?:-([0-9A-Za-z.-]+))?");

  private static final String EXPECTED_FORM =
      "MAJOR.MINOR.PATCH with an optional 4th part, leading 'v' and '-suffix',"
          + " e.g. 1.10.0, v1.5.0.0 or 1.7.0-extension";

  /**
   * Absent build parts sort before present ones and plain versions before suffixed ones, so the
   * order stays consistent with {@code equals}; the numbers always decide first.
   */
  private static final Comparator<Version> ORDER =
      Comparator.comparingInt(Version::major)
          .thenComparingInt(Version::minor)
          .thenComparingInt(Version::patch)
          .thenComparingInt(v -> v.build().orElse(-1))
          .thenComparing(v -> v.suffix().orElse(""));

  public Version {
    Objects.requireNonNull(build, "build");
    Objects.requireNonNull(suffix, "suffix");
    if (major < 0 || minor < 0 || patch < 0 || build.orElse(0) < 0) {
      throw new IllegalArgumentException("version parts must not be negative");
    }
  }

  /** A plain 3-part server version. */
  public static Version of(int major, int minor, int patch) {
    return new Version(major, minor, patch, OptionalInt.empty(), Optional.empty());
  }

  /**
   * Parses a version or image tag.
   *
   * @throws IllegalArgumentException naming the input and the expected form
   */
  public static Version parse(String text) {
    return tryParse(text)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "'" + text + "' is not an OpenMetadata version: expected " + EXPECTED_FORM));
  }

  /** Parses a version or image tag, empty when {@code text} is not one (e.g. {@code latest}). */
  public static Optional<Version> tryParse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher m = FORM.matcher(text.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(
        new Version(
            Integer.parseInt(m.group(1)),
            Integer.parseInt(m.group(2)),
            Integer.parseInt(m.group(3)),
            m.group(4) == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(m.group(4))),
            Optional.ofNullable(m.group(5))));
  }

  /**
   * The schema version of a database: the highest plain version among the {@code version} values of
   * {@code SERVER_CHANGE_LOG}. Suffixed rows ({@code 1.7.0-extension}) and anything unparseable are
   * ignored; Flyway rows copied as {@code 0.0.N} from 1.10 on sort below every real version.
   */
  public static Optional<Version> highestPlain(Collection<String> changeLogVersions) {
    return changeLogVersions.stream()
        .map(Version::tryParse)
        .flatMap(Optional::stream)
        .filter(Version::isPlain)
        .max(Comparator.naturalOrder());
  }

  /** True without a suffix: only plain versions count as schema versions. */
  public boolean isPlain() {
    return suffix.isEmpty();
  }

  /** True for {@code major.minor.patch} with neither a 4th part nor a suffix. */
  public boolean isServerRelease() {
    return isPlain() && build.isEmpty();
  }

  /** The {@code major.minor} key under which breaking changes are catalogued. */
  public MinorVersion minorVersion() {
    return new MinorVersion(major, minor);
  }

  @Override
  public int compareTo(Version other) {
    return ORDER.compare(this, other);
  }

  /** The canonical form, without a leading {@code v}. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder().append(major).append('.').append(minor).append('.');
    text.append(patch);
    build.ifPresent(b -> text.append('.').append(b));
    suffix.ifPresent(s -> text.append('-').append(s));
    return text.toString();
  }
}
