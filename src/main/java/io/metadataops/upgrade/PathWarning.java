package io.metadataops.upgrade;

/** Something about an allowed upgrade path that a person should know. */
public record PathWarning(Code code, String message) {

  public enum Code {
    /** The image tag and the database schema version differ; the database decides. */
    VERSION_DISAGREEMENT,
    /** The image tag (e.g. {@code latest}) names no version; the database version is used. */
    IMAGE_TAG_NOT_A_VERSION,
    /** The target is newer than the latest release the catalogue knows. */
    TARGET_NEWER_THAN_CATALOGUE
  }
}
