package io.metadataops.backup.sql;

import io.metadataops.backup.common.ConnectionSpec;
import io.metadataops.backup.common.DbScheme;
import io.metadataops.backup.common.EngineException;
import io.metadataops.backup.common.ErrorCode;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;

/**
 * Turns driver exceptions into the engine's error codes with a message naming cause and fix. Driver
 * messages never contain the password; callers still must not add it.
 */
public final class SqlErrors {

  private SqlErrors() {}

  public static EngineException translate(SQLException e, ConnectionSpec spec, String during) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    int vendor = e.getErrorCode();
    String endpoint = spec.endpoint();
    Throwable network = networkCause(e);
    if (network != null || state.startsWith("08")) {
      String why = network == null ? firstLine(e.getMessage()) : describe(network);
      return new EngineException(
          ErrorCode.UNREACHABLE,
          "cannot reach "
              + endpoint
              + " ("
              + why
              + ") while "
              + during
              + ": check DB_HOST/DB_PORT, that the database is running, and network policies",
          e);
    }
    boolean mysql = spec.scheme() == DbScheme.MYSQL;
    if ((mysql && vendor == 1045) || state.equals("28P01") || state.equals("28000")) {
      return new EngineException(
          ErrorCode.AUTHENTICATION,
          "authentication failed for user '"
              + spec.user()
              + "' at "
              + endpoint
              + ": check DB_USER and the password (DB_USER_PASSWORD or --password-file)",
          e);
    }
    if ((mysql && vendor == 1049) || state.equals("3D000") || state.equals("3F000")) {
      return new EngineException(
          ErrorCode.DATABASE_NOT_FOUND,
          "database/schema not found at "
              + endpoint
              + " ("
              + firstLine(e.getMessage())
              + "): check OM_DATABASE"
              + (mysql ? "" : "/--db-schema")
              + " or create it first",
          e);
    }
    if ((mysql && (vendor == 1044 || vendor == 1142 || vendor == 1143 || vendor == 1227))
        || state.equals("42501")) {
      return new EngineException(
          ErrorCode.PRIVILEGE,
          "missing privilege while "
              + during
              + " ("
              + firstLine(e.getMessage())
              + "): grant it to '"
              + spec.user()
              + "' (run inspect to list what is needed)",
          e);
    }
    return new EngineException(
        ErrorCode.INTERNAL,
        "database error while "
            + during
            + " at "
            + endpoint
            + ": "
            + firstLine(e.getMessage())
            + " (SQLState "
            + state
            + ", code "
            + vendor
            + ")",
        e);
  }

  private static Throwable networkCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof UnknownHostException
          || t instanceof NoRouteToHostException
          || t instanceof SocketTimeoutException) {
        return t;
      }
      if (t.getClass().getSimpleName().equals("CommunicationsException") && t.getCause() == null) {
        return t;
      }
    }
    return null;
  }

  private static String describe(Throwable t) {
    if (t instanceof UnknownHostException) {
      return "unknown host " + t.getMessage();
    }
    if (t instanceof ConnectException) {
      String m = String.valueOf(t.getMessage()).toLowerCase();
      return m.contains("refused") ? "connection refused" : firstLine(t.getMessage());
    }
    if (t instanceof SocketTimeoutException) {
      return "connection timed out";
    }
    return firstLine(t.getMessage());
  }

  static String firstLine(String message) {
    if (message == null) {
      return "no message";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
