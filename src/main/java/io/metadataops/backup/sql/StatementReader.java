package io.metadataops.backup.sql;

import java.io.IOException;
import java.io.Reader;
import java.sql.SQLException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Splits a SQL dump into statements without executing anything, honouring each dialect's quoting so
 * that a semicolon inside a string, identifier or comment never ends a statement. Memory is bounded
 * by the largest statement. Plain comments are dropped; MySQL executable comments ({@code /*!...*
 * /}, optimizer hints) are kept because they carry meaning.
 *
 * <p>For PostgreSQL, a {@code COPY ... FROM stdin} statement is followed by data lines up to a line
 * {@code \.}; read them with {@link #nextCopyLine()} before asking for the next statement.
 */
public final class StatementReader {

  private static final Pattern COPY_FROM_STDIN =
      Pattern.compile("(?is)^\\s*COPY\\s.+\\sFROM\\s+stdin\\b.*");

  private static final int COPY_CHUNK = 256 * 1024;

  private final Reader in;
  private final SqlSyntax syntax;
  private final char[] buffer = new char[64 * 1024];
  private int position;
  private int limit;
  private long line = 1;

  public StatementReader(Reader in, SqlSyntax syntax) {
    this.in = in;
    this.syntax = syntax;
  }

  public static boolean isCopyFromStdin(String sql) {
    return COPY_FROM_STDIN.matcher(sql).matches();
  }

  /** The next statement without its terminating semicolon, or null at the end of the dump. */
  public String next() throws IOException {
    StringBuilder sql = new StringBuilder(256);
    boolean content = false;
    long startLine = line;
    while (true) {
      int c = read();
      if (c < 0) {
        if (content) {
          throw new DumpFormatException(
              "dump ends inside a statement that started at line " + startLine + " (truncated?)");
        }
        return null;
      }
      char ch = (char) c;
      switch (ch) {
        case ';' -> {
          if (content) {
            String statement = sql.toString().trim();
            if (syntax == SqlSyntax.POSTGRESQL && isCopyFromStdin(statement)) {
              skipRestOfLine();
            }
            return statement;
          }
          sql.setLength(0);
          continue;
        }
        case '\'' -> {
          boolean escapes = syntax == SqlSyntax.MYSQL || isEscapeStringPrefix(sql);
          sql.append(ch);
          quoted(sql, '\'', escapes, startLine);
        }
        case '"' -> {
          sql.append(ch);
          quoted(sql, '"', syntax == SqlSyntax.MYSQL, startLine);
        }
        case '`' -> {
          sql.append(ch);
          quoted(sql, '`', false, startLine);
        }
        case '#' -> {
          if (syntax == SqlSyntax.MYSQL) {
            skipRestOfLine();
            sql.append(' ');
            continue;
          }
          sql.append(ch);
        }
        case '-' -> {
          if (peek() == '-' && (syntax == SqlSyntax.POSTGRESQL || isDashCommentStart())) {
            skipRestOfLine();
            sql.append(' ');
            continue;
          }
          sql.append(ch);
        }
        case '/' -> {
          if (peek() == '*') {
            read();
            if (blockComment(sql, startLine)) {
              content = true;
            }
            continue;
          }
          sql.append(ch);
        }
        case '$' -> {
          if (syntax == SqlSyntax.POSTGRESQL && !endsWithIdentifierChar(sql)) {
            dollarQuoted(sql, startLine);
          } else {
            sql.append(ch);
          }
        }
        default -> sql.append(ch);
      }
      if (!Character.isWhitespace(ch)) {
        content = true;
      }
    }
  }

  /** Receives COPY data bytes. */
  @FunctionalInterface
  public interface CopySink {
    void write(byte[] data, int offset, int length) throws IOException, SQLException;
  }

  /**
   * Streams the data of the current COPY block to {@code sink} as UTF-8, every row ending in '\n',
   * up to (not including) the {@code \.} line; returns the number of rows. Encodes straight from
   * the read buffer into one reusable byte buffer: this is the hot path of a PostgreSQL restore.
   */
  public long copyData(CopySink sink) throws IOException, SQLException {
    byte[] out = new byte[COPY_CHUNK];
    int n = 0;
    long rows = 0;
    boolean lineStart = true;
    while (true) {
      int c = read();
      if (c < 0) {
        throw new DumpFormatException("dump ends inside COPY data (truncated?)");
      }
      if (lineStart && c == '\\' && peek() == '.') {
        read();
        if (read() != '\n') {
          throw new DumpFormatException("malformed end of COPY data at line " + line);
        }
        if (n > 0) {
          sink.write(out, 0, n);
        }
        return rows;
      }
      if (c < 0x80) {
        out[n++] = (byte) c;
      } else if (c < 0x800) {
        out[n++] = (byte) (0xc0 | (c >> 6));
        out[n++] = (byte) (0x80 | (c & 0x3f));
      } else if (Character.isHighSurrogate((char) c)) {
        int low = read();
        if (low < 0 || !Character.isLowSurrogate((char) low)) {
          throw new DumpFormatException("invalid UTF-16 surrogate in COPY data at line " + line);
        }
        int cp = Character.toCodePoint((char) c, (char) low);
        out[n++] = (byte) (0xf0 | (cp >> 18));
        out[n++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
        out[n++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
        out[n++] = (byte) (0x80 | (cp & 0x3f));
      } else {
        out[n++] = (byte) (0xe0 | (c >> 12));
        out[n++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        out[n++] = (byte) (0x80 | (c & 0x3f));
      }
      lineStart = c == '\n';
      if (lineStart) {
        rows++;
      }
      if (n > out.length - 8) {
        sink.write(out, 0, n);
        n = 0;
      }
    }
  }

  public long line() {
    return line;
  }

  private void quoted(StringBuilder sql, char quote, boolean backslashEscapes, long startLine)
      throws IOException {
    while (true) {
      int c = read();
      if (c < 0) {
        throw new DumpFormatException(
            "dump ends inside a quoted value of the statement at line "
                + startLine
                + " (truncated?)");
      }
      sql.append((char) c);
      if (backslashEscapes && c == '\\') {
        int escaped = read();
        if (escaped < 0) {
          throw new DumpFormatException("dump ends inside an escape sequence (truncated?)");
        }
        sql.append((char) escaped);
      } else if (c == quote) {
        if (peek() == quote) {
          sql.append((char) read());
        } else {
          return;
        }
      }
    }
  }

  /** Returns true when the comment is kept (MySQL executable comment or optimizer hint). */
  private boolean blockComment(StringBuilder sql, long startLine) throws IOException {
    boolean keep = syntax == SqlSyntax.MYSQL && (peek() == '!' || peek() == '+');
    if (keep) {
      sql.append("/*");
    }
    int depth = 1;
    int previous = -1;
    while (depth > 0) {
      int c = read();
      if (c < 0) {
        throw new DumpFormatException(
            "dump ends inside a comment of the statement at line " + startLine + " (truncated?)");
      }
      if (keep) {
        sql.append((char) c);
      }
      if (previous == '*' && c == '/') {
        depth--;
        c = -1;
      } else if (syntax == SqlSyntax.POSTGRESQL && previous == '/' && c == '*') {
        depth++;
        c = -1;
      }
      previous = c;
    }
    if (!keep) {
      sql.append(' ');
    }
    return keep;
  }

  private void dollarQuoted(StringBuilder sql, long startLine) throws IOException {
    StringBuilder tag = new StringBuilder("$");
    while (true) {
      int c = peek();
      if (c == '$') {
        tag.append((char) read());
        break;
      }
      if (c >= 0
          && (Character.isLetterOrDigit(c) || c == '_')
          && !(tag.length() == 1 && Character.isDigit(c))) {
        tag.append((char) read());
      } else {
        // Not a dollar quote ($1 parameter or an operator): plain text.
        sql.append(tag);
        return;
      }
    }
    sql.append(tag);
    String end = tag.toString();
    int matched = 0;
    while (matched < end.length()) {
      int c = read();
      if (c < 0) {
        throw new DumpFormatException(
            "dump ends inside a dollar-quoted string of the statement at line "
                + startLine
                + " (truncated?)");
      }
      sql.append((char) c);
      if (c == end.charAt(matched)) {
        matched++;
      } else {
        matched = c == end.charAt(0) ? 1 : 0;
      }
    }
  }

  private boolean isEscapeStringPrefix(StringBuilder sql) {
    int n = sql.length();
    if (n == 0 || Character.toUpperCase(sql.charAt(n - 1)) != 'E') {
      return false;
    }
    return n == 1 || !isIdentifierChar(sql.charAt(n - 2));
  }

  private static boolean endsWithIdentifierChar(StringBuilder sql) {
    return sql.length() > 0 && isIdentifierChar(sql.charAt(sql.length() - 1));
  }

  private static boolean isIdentifierChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }

  /** MySQL only treats "--" as a comment when followed by whitespace or a control character. */
  private boolean isDashCommentStart() throws IOException {
    read(); // the second '-'
    int next = peek();
    if (next < 0 || next <= ' ') {
      return true;
    }
    position--; // give the second '-' back: it is an operator
    return false;
  }

  private void skipRestOfLine() throws IOException {
    int c;
    do {
      c = read();
    } while (c >= 0 && c != '\n');
  }

  private int read() throws IOException {
    if (position == limit && !fill()) {
      return -1;
    }
    char c = buffer[position++];
    if (c == '\n') {
      line++;
    }
    return c;
  }

  private int peek() throws IOException {
    if (position == limit && !fill()) {
      return -1;
    }
    return buffer[position];
  }

  private boolean fill() throws IOException {
    // Keep the last char so that a single step back (isDashCommentStart) stays possible.
    if (limit > 0) {
      buffer[0] = buffer[limit - 1];
      position = 1;
      limit = 1;
    }
    int n = in.read(buffer, limit, buffer.length - limit);
    if (n <= 0) {
      return false;
    }
    limit += n;
    return true;
  }

  @Override
  public String toString() {
    return "StatementReader[" + syntax.name().toLowerCase(Locale.ROOT) + ", line " + line + "]";
  }
}
