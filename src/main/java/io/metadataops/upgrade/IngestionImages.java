package io.metadataops.upgrade;

/**
 * How the ingestion image ({@code openmetadata/ingestion}) is tagged for a server version. The
 * Python client refuses a server of another {@code major.minor}, so both sides move together.
 */
public final class IngestionImages {

  /** From this line on, ingestion tags carry a 4th part: server 1.5.0 pairs with 1.5.0.0. */
  static final MinorVersion FOUR_PART_TAGS_SINCE = new MinorVersion(1, 5);

  private IngestionImages() {}

  /**
   * The ingestion image tag that pairs with a server version.
   *
   * @throws IllegalArgumentException when {@code server} is not a plain 3-part server version
   */
  public static String tagFor(Version server) {
    if (!server.isServerRelease()) {
      throw new IllegalArgumentException(
          "'" + server + "' is not a server version: expected MAJOR.MINOR.PATCH, e.g. 1.5.0");
    }
    return server.minorVersion().isBefore(FOUR_PART_TAGS_SINCE) ? server.toString() : server + ".0";
  }

  /**
   * The ingestion image with the tag that pairs with {@code server}, same registry and repository.
   */
  public static ImageReference imageFor(ImageReference currentIngestionImage, Version server) {
    return currentIngestionImage.withTag(tagFor(server));
  }
}
