package io.metadataops.backup.sql;

import java.nio.charset.StandardCharsets;

/**
 * SQL literals for the dump. The two engines escape differently: MySQL treats backslash as an
 * escape character inside strings (unless NO_BACKSLASH_ESCAPES, which the dump header clears);
 * PostgreSQL with standard_conforming_strings=on takes backslashes literally and only doubles
 * quotes.
 */
public final class SqlLiterals {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /** Byte -> the letter after the backslash of its MySQL escape, or 0. */
  private static final char[] MYSQL_ESCAPES = new char[256];

  static {
    MYSQL_ESCAPES[0] = '0';
    MYSQL_ESCAPES['\''] = '\'';
    MYSQL_ESCAPES['\\'] = '\\';
    MYSQL_ESCAPES['\n'] = 'n';
    MYSQL_ESCAPES['\r'] = 'r';
    MYSQL_ESCAPES[0x1a] = 'Z';
  }

  private SqlLiterals() {}

  /** A MySQL string literal; escapes the characters mysqldump escapes. */
  public static TextBuffer mysqlString(TextBuffer out, String value) {
    return mysqlString(out, value.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The same from the value's UTF-8 bytes: the escaped characters are ASCII, and the bytes of a
   * multi-byte UTF-8 character are never ASCII, so runs of bytes are copied as they are.
   */
  public static TextBuffer mysqlString(TextBuffer out, byte[] utf8) {
    out.reserve(utf8.length + 2);
    out.append('\'');
    int run = 0;
    for (int i = 0; i < utf8.length; i++) {
      char escape = MYSQL_ESCAPES[utf8[i] & 0xff];
      if (escape != 0) {
        out.append(utf8, run, i - run).append('\\').append(escape);
        run = i + 1;
      }
    }
    return out.append(utf8, run, utf8.length - run).append('\'');
  }

  /**
   * Every byte is ASCII and none is NUL: such bytes decode to the same characters in every charset
   * a MySQL server may send a text column in (UTF-8, latin1, ascii ...; UTF-16 and UTF-32 always
   * have a NUL byte in an ASCII character), so they are the UTF-8 of the driver's string.
   */
  public static boolean isPlainAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b <= 0) {
        return false;
      }
    }
    return true;
  }

  /** A MySQL hexadecimal literal, {@code X'...'}, for binary values (X'' is the empty value). */
  public static TextBuffer mysqlHex(TextBuffer out, byte[] value) {
    out.reserve(value.length * 2 + 3);
    out.append('X').append('\'');
    for (byte b : value) {
      out.append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
    }
    return out.append('\'');
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

  public static String mysqlIdentifier(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  public static String postgresIdentifier(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }
}
