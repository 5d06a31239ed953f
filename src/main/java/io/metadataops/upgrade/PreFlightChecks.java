package io.metadataops.upgrade;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The target's requirements against what the operator can see of the platform: the database server
 * the inspect Job reached and the search engine's image when the spec names its workload. A version
 * below the required one's release line, or a sort buffer too small for the migrations, cannot
 * work: the upgrade stalls with the fix. What may work but is outside the requirements matrix (an
 * older patch of the required line, MariaDB, a search image whose version does not show) becomes an
 * item a person approves, like a breaking change of the target's minor line.
 */
public final class PreFlightChecks {

  /** The leading {@code 8.0.31} of {@code 8.0.31}, {@code 15.10 (Debian ...)}, {@code 9.3.0}. */
  private static final Pattern LEADING_VERSION = Pattern.compile("^v?(\\d+(?:\\.\\d+)*)");

  private PreFlightChecks() {}

  /**
   * What the checks found.
   *
   * @param failing one message per unmet requirement, each with its fix
   * @param approvals items of the target's minor line that need a person's approval
   */
  public record Result(List<String> failing, List<BreakingChange> approvals) {
    public Result {
      failing = List.copyOf(failing);
      approvals = List.copyOf(approvals);
    }
  }

  /**
   * Checks {@code database} and {@code searchImage} (each only when known) against {@code
   * required}, the requirements of {@code target}.
   */
  public static Result check(
      Version target,
      Requirements required,
      Optional<DatabaseServer> database,
      Optional<String> searchImage) {
    Checks checks = new Checks(target);
    database.ifPresent(server -> checks.database(server, required));
    searchImage.ifPresent(image -> checks.search(image, required));
    return new Result(checks.failing, checks.approvals);
  }

  /** The numeric components a version text starts with; empty when it starts with none. */
  static Optional<List<Integer>> leadingVersion(String text) {
    Matcher m = LEADING_VERSION.matcher(text.trim());
    if (!m.find()) {
      return Optional.empty();
    }
    return Optional.of(Arrays.stream(m.group(1).split("\\.")).map(Integer::valueOf).toList());
  }

  /** Numeric order, missing components counting as 0: 8.0 = 8.0.0 < 8.0.42. */
  static int compare(List<Integer> a, List<Integer> b) {
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      int x = i < a.size() ? a.get(i) : 0;
      int y = i < b.size() ? b.get(i) : 0;
      if (x != y) {
        return Integer.compare(x, y);
      }
    }
    return 0;
  }

  /**
   * The release line of a required version: without its last component ({@code 8.0.42} is line
   * {@code 8.0}, {@code 9.0} line {@code 9}), or all of a one-part version ({@code 15}).
   */
  static List<Integer> line(List<Integer> required) {
    return required.size() == 1 ? required : required.subList(0, required.size() - 1);
  }

  private static final class Checks {
    private final Version target;
    private final MinorVersion minor;
    private final List<String> failing = new ArrayList<>();
    private final List<BreakingChange> approvals = new ArrayList<>();

    Checks(Version target) {
      this.target = target;
      this.minor = target.minorVersion();
    }

    void database(DatabaseServer server, Requirements required) {
      switch (server.engine().toLowerCase(Locale.ROOT)) {
        case "mysql" -> {
          required
              .mysql()
              .ifPresent(
                  min ->
                      version(
                          "MySQL",
                          server.version(),
                          min,
                          "mysql-version",
                          "Upgrade MySQL to " + min + " or later (back up first)"));
          sortBuffer(server, required);
        }
        case "mariadb" -> {
          if (required.mysql().isPresent()) {
            approvals.add(
                new BreakingChange(
                    minor + "/mariadb-not-in-matrix",
                    "The database server is MariaDB "
                        + server.version()
                        + ", which the requirements matrix of OpenMetadata "
                        + minor
                        + " does not list (it lists MySQL "
                        + required.mysql().get()
                        + required.postgresql().map(pg -> " and PostgreSQL " + pg).orElse("")
                        + ").",
                    "Approve to run " + target + " on MariaDB as it is, or move to MySQL first.",
                    true));
          }
          sortBuffer(server, required);
        }
        case "postgresql" ->
            required
                .postgresql()
                .ifPresent(
                    min ->
                        version(
                            "PostgreSQL",
                            server.version(),
                            min,
                            "postgresql-version",
                            "Upgrade PostgreSQL to " + min + " or later (back up first)"));
        default -> {
          // An engine the inspect Job does not report is not checked.
        }
      }
    }

    /**
     * Sessions get {@code sort_buffer_size} at connect; too little fails the migrations' sorts with
     * "Out of sort memory" halfway.
     */
    private void sortBuffer(DatabaseServer server, Requirements required) {
      if (required.mysqlSortBufferBytes().isEmpty() || server.sortBufferSize().isEmpty()) {
        return;
      }
      long min = required.mysqlSortBufferBytes().get();
      long actual = server.sortBufferSize().get();
      if (actual < min) {
        failing.add(
            "The database's sort_buffer_size is "
                + actual
                + " bytes in OpenMetadata's sessions; the migrations of "
                + target
                + " need at least "
                + min
                + " bytes ("
                + min / (1024 * 1024)
                + " MB), or fail with \"Out of sort memory\"."
                + " Raise it on the database server (SET PERSIST sort_buffer_size = "
                + min
                + "; on a managed service, its parameter group), or for OpenMetadata's"
                + " connections only by adding sessionVariables=sort_buffer_size="
                + min
                + " to DB_PARAMS of the server, then change this spec to retry.");
      }
    }

    /** {@code actual} of {@code product} against the oldest supported version {@code min}. */
    private void version(String product, String actual, String min, String slug, String fix) {
      Optional<List<Integer>> found = leadingVersion(actual);
      List<Integer> required = leadingVersion(min).orElseThrow();
      if (found.isEmpty()) {
        approvals.add(
            new BreakingChange(
                minor + "/" + slug,
                product
                    + " reports version '"
                    + actual
                    + "', which does not compare with the required "
                    + min
                    + ".",
                "Check that it is " + product + " " + min + " or later, then approve.",
                true));
        return;
      }
      if (compare(found.get(), line(required)) < 0) {
        failing.add(
            product
                + " "
                + actual
                + " is older than OpenMetadata "
                + target
                + " supports ("
                + product
                + " "
                + min
                + " or later). "
                + fix
                + ", then change this spec to retry.");
      } else if (compare(found.get(), required) < 0) {
        approvals.add(
            new BreakingChange(
                minor + "/" + slug,
                product
                    + " "
                    + actual
                    + " is older than the "
                    + product
                    + " "
                    + min
                    + " the requirements matrix of OpenMetadata "
                    + minor
                    + " lists.",
                fix + " before approving, or approve to run " + target + " on it as it is.",
                true));
      }
    }

    void search(String image, Requirements required) {
      ImageReference reference = ImageReference.parse(image);
      String repository = reference.repository().toLowerCase(Locale.ROOT);
      boolean openSearch = repository.contains("opensearch");
      boolean elasticsearch = !openSearch && repository.contains("elasticsearch");
      Optional<String> min = openSearch ? required.opensearch() : required.elasticsearch();
      String product = openSearch ? "OpenSearch" : "Elasticsearch";
      if (!openSearch && !elasticsearch) {
        if (required.elasticsearch().isPresent() || required.opensearch().isPresent()) {
          approvals.add(
              new BreakingChange(
                  minor + "/search-engine-version",
                  "The search workload runs "
                      + image
                      + ", which the operator cannot tell as Elasticsearch or OpenSearch;"
                      + " OpenMetadata "
                      + minor
                      + " needs "
                      + required.elasticsearch().map(v -> "Elasticsearch " + v + "+").orElse("")
                      + required.opensearch().map(v -> " or OpenSearch " + v + "+").orElse("")
                      + ".",
                  "Check the search engine's version, upgrade it first if needed, then approve.",
                  true));
        }
        return;
      }
      if (min.isEmpty()) {
        return;
      }
      Optional<String> tag = reference.tag().filter(t -> leadingVersion(t).isPresent());
      version(
          product,
          tag.orElse(reference.tag().orElse("(no tag)")),
          min.get(),
          "search-engine-version",
          "Upgrade the search engine to "
              + product
              + " "
              + min.get()
              + " or later, and reindex after the upgrade");
    }
  }
}
