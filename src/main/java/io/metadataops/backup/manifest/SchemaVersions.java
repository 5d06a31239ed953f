package io.metadataops.backup.manifest;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * OpenMetadata's installed schema version: the highest plain {@code x.y.z} among the applied
 * migrations in {@code SERVER_CHANGE_LOG}, compared as numbers (so 1.10.0 is above 1.9.9, a bug
 * upstream once had). Suffixed rows such as {@code 1.7.0-extension} are not schema versions.
 */
public final class SchemaVersions {

  private static final Pattern PLAIN = Pattern.compile("\\d+\\.\\d+\\.\\d+");

  /** One row of SERVER_CHANGE_LOG; {@code status} is null before 2.x (no such column). */
  public record ChangeLogRow(String version, String status) {

    /** Runs {@code sql}, whose two columns are the version and the status, and reads every row. */
    public static List<ChangeLogRow> readAll(Connection connection, String sql)
        throws SQLException {
      List<ChangeLogRow> rows = new ArrayList<>();
      try (Statement statement = connection.createStatement();
          ResultSet result = statement.executeQuery(sql)) {
        while (result.next()) {
          rows.add(new ChangeLogRow(result.getString(1), result.getString(2)));
        }
      }
      return rows;
    }
  }

  private SchemaVersions() {}

  public static Optional<String> installedVersion(Collection<ChangeLogRow> rows) {
    return rows.stream()
        .filter(row -> row.version() != null && PLAIN.matcher(row.version().trim()).matches())
        .filter(row -> row.status() == null || "COMPLETED".equalsIgnoreCase(row.status().trim()))
        .map(row -> row.version().trim())
        .max(SchemaVersions::compare);
  }

  /**
   * The rows a 2.x migration left unfinished (status STARTED or FAILED, anything but COMPLETED), as
   * {@code "<version> <status>"}; a 1.x change log (no status column) has none. At most {@code
   * limit} rows, then a count of the rest: the list travels in a termination message.
   */
  public static List<String> unfinished(Collection<ChangeLogRow> rows, int limit) {
    List<String> unfinished =
        rows.stream()
            .filter(
                row -> row.status() != null && !"COMPLETED".equalsIgnoreCase(row.status().trim()))
            .map(
                row ->
                    row.version()
                        + " "
                        + (row.status().isBlank() ? "(no status)" : row.status().trim()))
            .toList();
    if (unfinished.size() <= limit) {
      return unfinished;
    }
    List<String> shown = new ArrayList<>(unfinished.subList(0, limit));
    shown.add("and " + (unfinished.size() - limit) + " more");
    return shown;
  }

  /** Numeric comparison of plain x.y.z versions. */
  public static int compare(String a, String b) {
    return VERSION_ORDER.compare(a, b);
  }

  private static final Comparator<String> VERSION_ORDER =
      (a, b) -> {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
          long xi = i < x.length ? Long.parseLong(x[i]) : 0;
          long yi = i < y.length ? Long.parseLong(y[i]) : 0;
          if (xi != yi) {
            return Long.compare(xi, yi);
          }
        }
        return 0;
      };
}
