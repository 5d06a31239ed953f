package io.metadataops.backup.sql;

import io.metadataops.backup.common.ConnectionSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** The small catalog queries both dialects run: one value, or a few text columns per row. */
final class Jdbc {

  private Jdbc() {}

  /**
   * Connects to {@code jdbc:<driver>://host:port/<database>[?params]} as the spec's user, with the
   * driver's {@code properties}, then runs the {@code session} statements; the connection is closed
   * when they fail.
   */
  static Connection connect(
      String driver,
      ConnectionSpec spec,
      String database,
      Properties properties,
      List<String> session)
      throws SQLException {
    String url = "jdbc:" + driver + "://" + spec.host() + ":" + spec.port() + "/" + database;
    if (!spec.params().isBlank()) {
      url += "?" + spec.params();
    }
    Properties props = new Properties();
    props.putAll(properties);
    if (spec.user() != null) {
      props.setProperty("user", spec.user());
    }
    if (spec.password() != null) {
      props.setProperty("password", spec.password());
    }
    Connection connection = DriverManager.getConnection(url, props);
    try (Statement st = connection.createStatement()) {
      for (String statement : session) {
        st.execute(statement);
      }
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    return connection;
  }

  static String queryString(Connection connection, String sql) throws SQLException {
    return queryOne(connection, sql, rs -> rs.getString(1));
  }

  static long queryLong(Connection connection, String sql) throws SQLException {
    return queryOne(connection, sql, rs -> rs.getLong(1));
  }

  static boolean queryBoolean(Connection connection, String sql) throws SQLException {
    return queryOne(connection, sql, rs -> rs.getBoolean(1));
  }

  private interface Value<T> {
    T of(ResultSet rs) throws SQLException;
  }

  /** The value of the first row of a query that returns one. */
  private static <T> T queryOne(Connection connection, String sql, Value<T> value)
      throws SQLException {
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return value.of(rs);
    }
  }

  /** The first column of every row; {@code params} are bound in order. */
  static List<String> queryStrings(Connection connection, String sql, String... params)
      throws SQLException {
    return queryRows(connection, sql, 1, params).stream().map(row -> row[0]).toList();
  }

  /** The first {@code columns} columns of the one row a query returns, as text. */
  static String[] queryRow(Connection connection, String sql, int columns, String... params)
      throws SQLException {
    List<String[]> rows = queryRows(connection, sql, columns, params);
    if (rows.size() != 1) {
      throw new SQLException(rows.size() + " rows where one was expected: " + sql);
    }
    return rows.get(0);
  }

  /** The first {@code columns} columns of every row as text; {@code params} are bound in order. */
  static List<String[]> queryRows(Connection connection, String sql, int columns, String... params)
      throws SQLException {
    List<String[]> rows = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setString(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String[] row = new String[columns];
          for (int c = 0; c < columns; c++) {
            row[c] = rs.getString(c + 1);
          }
          rows.add(row);
        }
      }
    }
    return rows;
  }
}
