package io.metadataops.upgrade;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The breaking changes of OpenMetadata releases and the latest patch known per minor line, as of a
 * date. The bundled data lives in {@code breaking-changes.yaml} next to this class.
 */
public final class BreakingChangeCatalogue {

  static final String RESOURCE = "breaking-changes.yaml";

  private final LocalDate asOf;
  private final TreeMap<MinorVersion, Version> latestPatches;
  private final TreeMap<MinorVersion, CatalogueEntry> entries;
  private final TreeMap<MinorVersion, Requirements> requirements;

  BreakingChangeCatalogue(
      LocalDate asOf,
      List<Version> latestPatches,
      List<CatalogueEntry> entries,
      TreeMap<MinorVersion, Requirements> requirements) {
    this.asOf = Objects.requireNonNull(asOf, "asOf");
    this.requirements = new TreeMap<>(requirements);
    this.latestPatches =
        latestPatches.stream()
            .collect(
                Collectors.toMap(
                    Version::minorVersion,
                    Function.identity(),
                    BreakingChangeCatalogue::duplicatePatch,
                    TreeMap::new));
    this.entries =
        entries.stream()
            .collect(
                Collectors.toMap(
                    CatalogueEntry::minor,
                    Function.identity(),
                    (a, b) -> {
                      throw new IllegalArgumentException("minor " + a.minor() + " is listed twice");
                    },
                    TreeMap::new));
    checkConsistency();
  }

  /** The catalogue shipped with the operator. */
  public static BreakingChangeCatalogue bundled() {
    try (InputStream in = BreakingChangeCatalogue.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + RESOURCE + " is missing from the classpath");
      }
      return read(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /** Reads a catalogue in the YAML form of {@code breaking-changes.yaml}. */
  public static BreakingChangeCatalogue read(InputStream yaml) throws IOException {
    CatalogueFile file = new ObjectMapper(new YAMLFactory()).readValue(yaml, CatalogueFile.class);
    TreeMap<MinorVersion, Requirements> requirements = new TreeMap<>();
    for (RequirementsFile entry : file.requirements()) {
      if (requirements.put(MinorVersion.parse(entry.since()), entry.toRequirements()) != null) {
        throw new IllegalArgumentException("requirements since " + entry.since() + " twice");
      }
    }
    return new BreakingChangeCatalogue(
        LocalDate.parse(file.asOf()),
        file.latestPatches().stream().map(Version::parse).toList(),
        file.minors().stream().map(MinorFile::toEntry).toList(),
        requirements);
  }

  /**
   * What a server of {@code target}'s minor line needs: every matrix entry up to that line, later
   * ones replacing earlier ones field by field.
   */
  public Requirements requirements(Version target) {
    return requirements.headMap(target.minorVersion(), true).values().stream()
        .reduce(Requirements.NONE, Requirements::overriddenBy);
  }

  /** The date the release data was last checked against upstream. */
  public LocalDate asOf() {
    return asOf;
  }

  /** Every catalogued entry, oldest minor first. */
  public List<CatalogueEntry> entries() {
    return List.copyOf(entries.values());
  }

  /** The latest patch this catalogue knows for a minor line. */
  public Optional<Version> latestPatch(MinorVersion minor) {
    return Optional.ofNullable(latestPatches.get(minor));
  }

  /** The newest minor line this catalogue knows anything about. */
  public MinorVersion newestMinor() {
    return latestPatches.lastKey();
  }

  /** True when {@code version} is newer than the latest patch known for its minor line. */
  public boolean isNewerThanKnown(Version version) {
    return latestPatch(version.minorVersion()).map(version::isAfter).orElse(true);
  }

  /**
   * The entries an upgrade crosses: those with {@code from.minor < entry.minor <= to.minor}, oldest
   * first. When {@code to} is on a minor newer than the catalogue, a synthetic entry whose only
   * change, {@code <minor>/not-in-catalogue}, requires approval stands for the unknown: nobody
   * reviewed those release notes for the operator, so a person must.
   */
  public List<CatalogueEntry> crossed(Version from, Version to) {
    List<CatalogueEntry> crossed = new ArrayList<>();
    for (CatalogueEntry entry : entries.values()) {
      if (entry.minor().isAfter(from.minorVersion()) && !entry.minor().isAfter(to.minorVersion())) {
        crossed.add(entry);
      }
    }
    MinorVersion target = to.minorVersion();
    if (target.isAfter(newestMinor()) && target.isAfter(from.minorVersion())) {
      crossed.add(notInCatalogue(target));
    }
    return List.copyOf(crossed);
  }

  /**
   * The mandatory stops strictly between two versions' minor lines, oldest first: an upgrade that
   * ends on a stop's own line passes no stop (2.0 migrates any 1.x), one that goes past it does.
   */
  public List<CatalogueEntry> mandatoryStopsBetween(MinorVersion from, MinorVersion to) {
    return entries.values().stream()
        .filter(CatalogueEntry::mandatoryStop)
        .filter(e -> e.minor().isAfter(from) && e.minor().isBefore(to))
        .toList();
  }

  /** Reviews approvals against crossed entries; see {@link ApprovalReview#of}. */
  public static ApprovalReview pendingApprovals(
      List<CatalogueEntry> crossed, Collection<String> approved) {
    return ApprovalReview.of(crossed, approved);
  }

  private CatalogueEntry notInCatalogue(MinorVersion minor) {
    return new CatalogueEntry(
        minor,
        false,
        List.of(
            new BreakingChange(
                minor + "/not-in-catalogue",
                "This operator's breaking-change catalogue (as of "
                    + asOf
                    + ") stops at "
                    + newestMinor()
                    + "; nobody has reviewed "
                    + minor
                    + " for it.",
                "Read the OpenMetadata release notes up to "
                    + minor
                    + ", take the actions they require, then approve this id (or upgrade the"
                    + " operator).",
                true)));
  }

  private void checkConsistency() {
    if (latestPatches.isEmpty()) {
      throw new IllegalArgumentException("the catalogue lists no releases");
    }
    Set<String> ids = new HashSet<>();
    for (CatalogueEntry entry : entries.values()) {
      if (!latestPatches.containsKey(entry.minor())) {
        throw new IllegalArgumentException(
            "minor " + entry.minor() + " has breaking changes but no entry in latestPatches");
      }
      for (BreakingChange change : entry.changes()) {
        if (!change.id().startsWith(entry.minor() + "/")) {
          throw new IllegalArgumentException(
              "change id '" + change.id() + "' must start with '" + entry.minor() + "/'");
        }
        if (!ids.add(change.id())) {
          throw new IllegalArgumentException("change id '" + change.id() + "' is listed twice");
        }
      }
    }
    latestPatches.values().stream()
        .filter(v -> !v.isServerRelease())
        .findFirst()
        .ifPresent(
            v -> {
              throw new IllegalArgumentException(
                  "latestPatches lists '" + v + "': expected MAJOR.MINOR.PATCH server versions");
            });
  }

  private static Version duplicatePatch(Version a, Version b) {
    throw new IllegalArgumentException(
        "latestPatches lists two patches of " + a.minorVersion() + ": " + a + " and " + b);
  }

  // The file form: strings where the domain has types, converted and checked on load.
  record CatalogueFile(
      String asOf,
      List<String> latestPatches,
      List<MinorFile> minors,
      List<RequirementsFile> requirements) {
    CatalogueFile {
      Objects.requireNonNull(asOf, "asOf is missing");
      Objects.requireNonNull(latestPatches, "latestPatches is missing");
      minors = minors == null ? List.of() : minors;
      requirements = requirements == null ? List.of() : requirements;
    }
  }

  record RequirementsFile(
      String since,
      String mysql,
      String postgresql,
      String elasticsearch,
      String opensearch,
      Long mysqlSortBufferBytes) {
    RequirementsFile {
      Objects.requireNonNull(since, "a requirements entry has no 'since'");
    }

    Requirements toRequirements() {
      return new Requirements(
          Optional.ofNullable(mysql),
          Optional.ofNullable(postgresql),
          Optional.ofNullable(elasticsearch),
          Optional.ofNullable(opensearch),
          Optional.ofNullable(mysqlSortBufferBytes));
    }
  }

  record MinorFile(String minor, boolean mandatoryStop, List<BreakingChange> changes) {
    MinorFile {
      changes = changes == null ? List.of() : changes;
    }

    CatalogueEntry toEntry() {
      return new CatalogueEntry(MinorVersion.parse(minor), mandatoryStop, changes);
    }
  }
}
