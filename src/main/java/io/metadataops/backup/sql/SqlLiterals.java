package io.metadataops.backup.sql;

/**
 * SQL literals for the dump. The two engines escape differently: MySQL treats backslash as an
 * escape character inside strings (unless NO_BACKSLASH_ESCAPES, which the dump header clears);
 * PostgreSQL with standard_conforming_strings=on takes backslashes literally and only doubles
 * quotes.
 */
public final class SqlLiterals {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private SqlLiterals() {}

  /** A MySQL string literal; escapes the characters mysqldump escapes. */
  public static StringBuilder mysqlString(StringBuilder sb, String value) {
    sb.append('\'');
    for (int i = 0, n = value.length(); i < n; i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\0' -> sb.append("\\0");
        case '\'' -> sb.append("\\'");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\u001a' -> sb.append("\\Z");
        default -> sb.append(c);
      }
    }
    return sb.append('\'');
  }

  /** A MySQL hexadecimal literal, {@code X'...'}, for binary values (X'' is the empty value). */
  public static StringBuilder mysqlHex(StringBuilder sb, byte[] value) {
    return hex(sb.append("X'"), value).append('\'');
  }

  /** A PostgreSQL string literal under standard_conforming_strings=on. */
  public static StringBuilder postgresString(StringBuilder sb, String value) {
    if (value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("PostgreSQL text cannot contain NUL characters");
    }
    sb.append('\'');
    for (int i = 0, n = value.length(); i < n; i++) {
      char c = value.charAt(i);
      if (c == '\'') {
        sb.append('\'');
      }
      sb.append(c);
    }
    return sb.append('\'');
  }

  /** A PostgreSQL bytea literal in hex format: {@code '\x...'::bytea}. */
  public static StringBuilder postgresBytea(StringBuilder sb, byte[] value) {
    return hex(sb.append("'\\x"), value).append("'::bytea");
  }

  public static String mysqlIdentifier(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  public static String postgresIdentifier(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  private static StringBuilder hex(StringBuilder sb, byte[] value) {
    sb.ensureCapacity(sb.length() + value.length * 2 + 16);
    for (byte b : value) {
      sb.append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
    }
    return sb;
  }
}
