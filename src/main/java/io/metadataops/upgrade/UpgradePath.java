package io.metadataops.upgrade;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The upgrade path rules of OpenMetadata: no downgrade, any skip within 1.x and from any 1.x to
 * 2.0, and a mandatory stop at the latest 2.0.x for databases below 2.0 going to 2.1 or later: the
 * migration runner of 2.1+ refuses them, {@code --force} included. Generally: a catalogue entry
 * marked {@code mandatoryStop} may be the target's minor line, but a database below it cannot go
 * past it in one upgrade; the refusal names the latest patch of that line the catalogue knows.
 *
 * <p>When the database schema version is known it decides, not the image tag: a failed upgrade can
 * leave the database migrated ahead of the image, and the migration runner only looks at the
 * database.
 */
public final class UpgradePath {

  private UpgradePath() {}

  /**
   * Checks an upgrade.
   *
   * @param imageTag tag of the running server image; empty or non-version tags ({@code latest}) are
   *     accepted when the database version is known
   * @param target {@code spec.targetVersion}, a 3-part server version
   * @param databaseSchemaVersion the highest plain version in {@code SERVER_CHANGE_LOG}, if read
   */
  public static PathCheck check(
      Optional<String> imageTag,
      String target,
      Optional<String> databaseSchemaVersion,
      BreakingChangeCatalogue catalogue) {
    List<PathWarning> warnings = new ArrayList<>();

    Optional<Version> targetVersion = Version.tryParse(target).filter(Version::isServerRelease);
    if (targetVersion.isEmpty()) {
      return refused(
          FailureReason.UNPARSEABLE_VERSION,
          "The target version '"
              + target
              + "' is not an OpenMetadata server version: expected MAJOR.MINOR.PATCH, e.g. 1.10.1.",
          warnings);
    }
    Optional<Version> database = Optional.empty();
    if (databaseSchemaVersion.isPresent()) {
      database = Version.tryParse(databaseSchemaVersion.get()).filter(Version::isPlain);
      if (database.isEmpty()) {
        return refused(
            FailureReason.UNPARSEABLE_VERSION,
            "The database reports schema version '"
                + databaseSchemaVersion.get()
                + "', which is not a plain MAJOR.MINOR.PATCH version; check SERVER_CHANGE_LOG.",
            warnings);
      }
    }
    Optional<Version> image = imageTag.flatMap(Version::tryParse);

    Version to = targetVersion.get();
    Version from;
    if (database.isPresent()) {
      from = database.get();
      if (image.isEmpty()) {
        warnings.add(
            new PathWarning(
                PathWarning.Code.IMAGE_TAG_NOT_A_VERSION,
                "The server image tag '"
                    + imageTag.orElse("")
                    + "' is not a version; using the database schema version "
                    + from
                    + "."));
      } else if (!image.get().equals(from)) {
        warnings.add(
            new PathWarning(
                PathWarning.Code.VERSION_DISAGREEMENT,
                "The server image is tagged "
                    + image.get()
                    + " but the database schema is at "
                    + from
                    + "; the database version is used for the path rules."));
      }
    } else if (image.isPresent()) {
      from = image.get();
    } else {
      return refused(
          FailureReason.UNPARSEABLE_VERSION,
          "Cannot tell the current version: the server image tag '"
              + imageTag.orElse("")
              + "' is not a version and the database reports no schema version."
              + " Tag the server image with its version (e.g. 1.9.3).",
          warnings);
    }

    if (to.isBefore(from)) {
      return refused(
          FailureReason.DOWNGRADE,
          "The target "
              + to
              + " is older than the current version "
              + from
              + ". OpenMetadata has no schema downgrade: to go back, restore a backup taken at "
              + to
              + " with a MetadataRestore instead.",
          warnings);
    }
    if (to.equals(from) && image.map(to::equals).orElse(true)) {
      return new PathCheck.AlreadyAtTarget(to, warnings);
    }
    List<CatalogueEntry> stops =
        catalogue.mandatoryStopsBetween(from.minorVersion(), to.minorVersion());
    if (!stops.isEmpty()) {
      MinorVersion stop = stops.get(0).minor();
      Version intermediate = catalogue.latestPatch(stop).orElseThrow();
      return refused(
          FailureReason.INTERMEDIATE_VERSION_REQUIRED,
          "A database at "
              + from
              + " cannot be upgraded to "
              + to
              + " directly: the migrations of releases after "
              + stop
              + " refuse databases below "
              + stop
              + ".0 (--force does not bypass that), so it must first be upgraded to the latest "
              + stop
              + ".x. Upgrade to "
              + intermediate
              + " first (latest "
              + stop
              + ".x known to this operator as of "
              + catalogue.asOf()
              + "), then to "
              + to
              + ".",
          warnings);
    }
    if (catalogue.isNewerThanKnown(to)) {
      warnings.add(
          new PathWarning(
              PathWarning.Code.TARGET_NEWER_THAN_CATALOGUE,
              "The target "
                  + to
                  + " is newer than every release this operator's catalogue knows (as of "
                  + catalogue.asOf()
                  + "); check its release notes for breaking changes."));
    }
    return new PathCheck.Allowed(from, to, warnings);
  }

  private static PathCheck refused(
      FailureReason reason, String message, List<PathWarning> warnings) {
    return new PathCheck.Refused(reason, message, warnings);
  }
}
