package io.metadataops.upgrade;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A {@code major.minor} line of OpenMetadata releases, the unit of the breaking-change table. */
public record MinorVersion(int major, int minor) implements Ordered<MinorVersion> {

  private static final Pattern FORM = Pattern.compile("(\\d{1,9})\\.(\\d{1,9})");
  private static final Comparator<MinorVersion> ORDER =
      Comparator.comparingInt(MinorVersion::major).thenComparingInt(MinorVersion::minor);

  public MinorVersion {
    if (major < 0 || minor < 0) {
      throw new IllegalArgumentException("version parts must not be negative");
    }
  }

  /**
   * Parses {@code MAJOR.MINOR}.
   *
   * @throws IllegalArgumentException naming the input and the expected form
   */
  public static MinorVersion parse(String text) {
    Matcher m = FORM.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not an OpenMetadata minor version: expected MAJOR.MINOR, e.g. 1.10");
    }
    return new MinorVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
  }

  @Override
  public int compareTo(MinorVersion other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return major + "." + minor;
  }
}
