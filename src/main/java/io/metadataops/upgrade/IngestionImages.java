package io.metadataops.upgrade;

/**
 * How the ingestion image ({@code openmetadata/ingestion}) is tagged for a server version. The
 * Python client refuses a server of another {@code major.minor}, so both sides move together.
 *
 * <p>The published scheme (the 1.5 upgrade notes and the image registry): before 1.5 ingestion tags
 * are the server's three parts; from 1.5 every release is also tagged with a fourth part, {@code
 * 1.5.0.0}, and hotfix builds of the ingestion image get their own fourth part ({@code 2.0.7.2})
 * while the three-part tag moves to the newest of them. So the three-part tag is the one that pairs
 * with a server release: appending {@code .0} pins the first build and misses its hotfixes.
 */
public final class IngestionImages {

  /** From this line on, ingestion tags also carry a 4th part: server 1.5.0 pairs with 1.5.0.x. */
  static final MinorVersion FOUR_PART_TAGS_SINCE = new MinorVersion(1, 5);

  /** {@code spec.ingestion.tagForm}. */
  public enum TagForm {
    /** The tag that follows the release's hotfix builds: the server version's three parts. */
    AUTO,
    /** The server version with {@code .0}: the release's first build, never its hotfixes. */
    FOUR_PART
  }

  private IngestionImages() {}

  /**
   * The ingestion image tag that pairs with a server version.
   *
   * @throws IllegalArgumentException when {@code server} is not a plain 3-part server version, or a
   *     four-part tag is asked of a release before they existed
   */
  public static String tagFor(Version server, TagForm form) {
    if (!server.isServerRelease()) {
      throw new IllegalArgumentException(
          "'" + server + "' is not a server version: expected MAJOR.MINOR.PATCH, e.g. 1.5.0");
    }
    if (form == TagForm.AUTO) {
      return server.toString();
    }
    if (server.minorVersion().isBefore(FOUR_PART_TAGS_SINCE)) {
      throw new IllegalArgumentException(
          "ingestion images of "
              + server
              + " have no four-part tag (they start with "
              + FOUR_PART_TAGS_SINCE
              + "): set spec.ingestion.tagForm to Auto");
    }
    return server + ".0";
  }

  /**
   * The ingestion image with the tag that pairs with {@code server}, same registry and repository.
   */
  public static ImageReference imageFor(
      ImageReference currentIngestionImage, Version server, TagForm form) {
    return currentIngestionImage.withTag(tagFor(server, form));
  }

  /**
   * The ingestion image published next to a server image ({@code openmetadata/server} -> {@code
   * openmetadata/ingestion}), for installations whose ingestion image the operator cannot see (the
   * Kubernetes orchestrator's lives in a Secret).
   */
  public static ImageReference besideServer(ImageReference server, Version version, TagForm form) {
    String name = server.name().replaceFirst("[^/]+$", "ingestion");
    return ImageReference.parse(name + ":" + tagFor(version, form));
  }
}
