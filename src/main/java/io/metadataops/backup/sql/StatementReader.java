package io.metadataops.backup.sql;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Splits a UTF-8 SQL dump into statements without executing anything, honouring each dialect's
 * quoting so that a semicolon inside a string, identifier or comment never ends a statement. Memory
 * is bounded by the largest statement. Plain comments are dropped; MySQL executable comments
 * ({@code /*!...* /}, optimizer hints) are kept because they carry meaning.
 *
 * <p>It works on bytes: every character that matters to the syntax is ASCII and UTF-8 never uses
 * ASCII bytes inside a multi-byte character, so only the statements themselves are decoded
 * (strictly: invalid UTF-8 is a format error) and COPY data passes through untouched.
 *
 * <p>For PostgreSQL, a {@code COPY ... FROM stdin} statement is followed by data rows up to a line
 * {@code \.}; read them with {@link #readCopyData} or {@link #copyData} before asking for the next
 * statement.
 */
public final class StatementReader {

  private static final Pattern COPY_FROM_STDIN =
      Pattern.compile("(?is)^\\s*COPY\\s.+\\sFROM\\s+stdin\\b.*");

  /** Input buffer; also the longest COPY row that is never handed out in parts by itself. */
  private static final int BUFFER = 1024 * 1024;

  private static final int COPY_CHUNK = 256 * 1024;

  /** Bytes the statement loop must look at; everything else is copied in bulk. */
  private static final boolean[] SPECIAL = new boolean[256];

  static {
    for (char c : ";'\"`#-/$\n".toCharArray()) {
      SPECIAL[c] = true;
    }
  }

  private final InputStream in;
  private final SqlSyntax syntax;
  private final byte[] buffer = new byte[BUFFER];
  private int position;
  private int limit;
  private boolean eof;
  private long line = 1;

  /** Bytes dropped from the front of the buffer so far. */
  private long consumed;

  /** The statement being read, as UTF-8 bytes. */
  private byte[] sql = new byte[4096];

  private int sqlLength;

  /** COPY data: inside a row whose first part was already handed out. */
  private boolean inRow;

  private long copyRows;

  public StatementReader(InputStream in, SqlSyntax syntax) {
    this.in = in;
    this.syntax = syntax;
  }

  public static boolean isCopyFromStdin(String sql) {
    return COPY_FROM_STDIN.matcher(sql).matches();
  }

  /** The next statement without its terminating semicolon, or null at the end of the dump. */
  public String next() throws IOException {
    sqlLength = 0;
    boolean content = false;
    long startLine = line;
    while (true) {
      // Bulk-copy the run of bytes that carry no syntax.
      int p = position;
      while (p < limit) {
        int b = buffer[p] & 0xff;
        if (SPECIAL[b]) {
          break;
        }
        if (b > ' ') {
          content = true;
        }
        p++;
      }
      if (p > position) {
        append(buffer, position, p - position);
        position = p;
      }
      int c = read();
      if (c < 0) {
        if (content && syntax == SqlSyntax.MYSQL && delimiterCommand()) {
          return null;
        }
        if (content) {
          throw new DumpFormatException(
              "dump ends inside a statement that started at line " + startLine + " (truncated?)");
        }
        return null;
      }
      switch (c) {
        case ';' -> {
          if (syntax == SqlSyntax.MYSQL && content && sqlLength <= 64 && inDelimiterCommand()) {
            append(c); // the new delimiter: the command ends with its line
            continue;
          }
          if (doubleSemicolon) {
            if (peek() != ';') {
              append(c);
              content = true;
              continue;
            }
            read();
          }
          if (content) {
            String statement = statementText();
            if (syntax == SqlSyntax.POSTGRESQL && isCopyFromStdin(statement)) {
              skipRestOfLine();
              inRow = false;
            }
            return statement;
          }
          sqlLength = 0;
          continue;
        }
        case '\'' -> {
          boolean escapes = syntax == SqlSyntax.MYSQL || isEscapeStringPrefix();
          append(c);
          quoted('\'', escapes, startLine);
        }
        case '"' -> {
          append(c);
          quoted('"', syntax == SqlSyntax.MYSQL, startLine);
        }
        case '`' -> {
          append(c);
          quoted('`', false, startLine);
        }
        case '#' -> {
          if (syntax == SqlSyntax.MYSQL) {
            skipRestOfLine();
            append(' ');
            continue;
          }
          append(c);
        }
        case '-' -> {
          if (peek() == '-' && (syntax == SqlSyntax.POSTGRESQL || isDashCommentStart())) {
            skipRestOfLine();
            append(' ');
            continue;
          }
          append(c);
        }
        case '/' -> {
          if (peek() == '*') {
            read();
            if (blockComment(startLine)) {
              content = true;
            }
            continue;
          }
          append(c);
        }
        case '$' -> {
          if (syntax == SqlSyntax.POSTGRESQL && !endsWithIdentifierChar()) {
            dollarQuoted(startLine);
          } else {
            append(c);
          }
        }
        case '\n' -> {
          if (syntax == SqlSyntax.MYSQL && content && sqlLength <= 64 && delimiterCommand()) {
            sqlLength = 0;
            content = false;
            startLine = line;
            continue;
          }
          append(c);
        }
        default -> append(c);
      }
      if (c > ' ') {
        content = true;
      }
    }
  }

  /** MySQL: statements end with ";;" (after {@code DELIMITER ;;}) instead of ";". */
  private boolean doubleSemicolon;

  private static final byte[] DELIMITER_WORD = "DELIMITER".getBytes(StandardCharsets.US_ASCII);

  /** The statement so far is "DELIMITER" and blanks: a delimiter command, not a statement. */
  private boolean inDelimiterCommand() {
    int start = 0;
    while (start < sqlLength && (sql[start] & 0xff) <= ' ') {
      start++;
    }
    if (sqlLength - start <= DELIMITER_WORD.length) {
      return false;
    }
    for (int i = 0; i < DELIMITER_WORD.length; i++) {
      if (Character.toUpperCase(sql[start + i]) != DELIMITER_WORD[i]) {
        return false;
      }
    }
    for (int i = start + DELIMITER_WORD.length; i < sqlLength; i++) {
      if (sql[i] != ' ' && sql[i] != '\t' && sql[i] != ';') {
        return false;
      }
    }
    return sql[start + DELIMITER_WORD.length] == ' ' || sql[start + DELIMITER_WORD.length] == '\t';
  }

  private static final Pattern DELIMITER_COMMAND = Pattern.compile("(?i)^DELIMITER\\s+(\\S+)$");

  /**
   * MySQL: the statement so far is the mysql client's {@code DELIMITER x} command (a line of its
   * own, as mysqldump writes around routines and triggers); true when it was, and it now applies.
   * Only ";" and ";;" are understood.
   */
  private boolean delimiterCommand() throws DumpFormatException {
    int start = 0;
    while (start < sqlLength && (sql[start] & 0xff) <= ' ') {
      start++;
    }
    if (start >= sqlLength || (sql[start] != 'D' && sql[start] != 'd')) {
      return false;
    }
    var m = DELIMITER_COMMAND.matcher(statementText());
    if (!m.matches()) {
      return false;
    }
    switch (m.group(1)) {
      case ";" -> doubleSemicolon = false;
      case ";;" -> doubleSemicolon = true;
      default ->
          throw new DumpFormatException(
              "unsupported DELIMITER " + m.group(1) + " at line " + line + " (only ; and ;;)");
    }
    return true;
  }

  /** Receives COPY data bytes. */
  @FunctionalInterface
  public interface CopySink {
    void write(byte[] data, int offset, int length) throws IOException, SQLException;
  }

  /**
   * Streams the data of the current COPY block to {@code sink}, every row ending in '\n', up to
   * (not including) the {@code \.} line; returns the number of rows.
   */
  public long copyData(CopySink sink) throws IOException, SQLException {
    byte[] chunk = new byte[COPY_CHUNK];
    long before = copyRows;
    int n;
    while ((n = readCopyData(chunk)) >= 0) {
      sink.write(chunk, 0, n);
    }
    return copyRows - before;
  }

  /**
   * Reads the next piece of the current COPY block into {@code into}: as many whole rows as fit or,
   * when one row alone is longer than {@code into}, the next part of that row (then {@link
   * #endsInsideRow()} is true until its last part). Returns the number of bytes, or -1 once the
   * block's {@code \.} line has been read.
   */
  public int readCopyData(byte[] into) throws IOException {
    int n = 0;
    while (true) {
      if (!inRow) {
        if (limit - position < 3) {
          fill();
        }
        if (limit - position >= 2 && buffer[position] == '\\' && buffer[position + 1] == '.') {
          if (n > 0) {
            return n;
          }
          if (limit - position < 3 || buffer[position + 2] != '\n') {
            throw new DumpFormatException("malformed end of COPY data at line " + line);
          }
          position += 3;
          line++;
          return -1;
        }
      }
      int eol = indexOf('\n', position, limit);
      if (eol < 0) {
        if (fill()) {
          continue; // more input may complete the row
        }
        if (eof) {
          throw new DumpFormatException("dump ends inside COPY data (truncated?)");
        }
        // The buffer is full with part of one row: hand it out in parts.
      }
      int length = (eol < 0 ? limit : eol + 1) - position;
      if (eol >= 0 && n + length <= into.length) {
        System.arraycopy(buffer, position, into, n, length);
        n += length;
        position += length;
        line++;
        copyRows++;
        inRow = false;
        if (n == into.length) {
          return n;
        }
        continue;
      }
      if (!inRow && n > 0) {
        return n; // end this piece with the last whole row
      }
      int part = Math.min(length, into.length - n);
      System.arraycopy(buffer, position, into, n, part);
      n += part;
      position += part;
      inRow = true;
      if (n == into.length) {
        return n;
      }
    }
  }

  /** The dump stopped inside {@code what} of the statement that started at {@code startLine}. */
  private static DumpFormatException endsInside(String what, long startLine) {
    return new DumpFormatException(
        "dump ends inside " + what + " of the statement at line " + startLine + " (truncated?)");
  }

  /** True when the last piece of COPY data returned ended inside a row. */
  public boolean endsInsideRow() {
    return inRow;
  }

  public long line() {
    return line;
  }

  /** Bytes of the dump read so far (uncompressed). */
  public long bytesRead() {
    return consumed + position;
  }

  private void quoted(char quote, boolean backslashEscapes, long startLine) throws IOException {
    while (true) {
      int p = position;
      while (p < limit) {
        byte b = buffer[p];
        if (b == quote || (backslashEscapes && b == '\\')) {
          break;
        }
        if (b == '\n') {
          line++;
        }
        p++;
      }
      append(buffer, position, p - position);
      position = p;
      int c = read();
      if (c < 0) {
        throw endsInside("a quoted value", startLine);
      }
      append(c);
      if (c == '\\' && backslashEscapes) {
        int escaped = read();
        if (escaped < 0) {
          throw new DumpFormatException("dump ends inside an escape sequence (truncated?)");
        }
        append(escaped);
      } else if (c == quote) {
        if (peek() == quote) {
          append(read());
        } else {
          return;
        }
      }
    }
  }

  /** Returns true when the comment is kept (MySQL executable comment or optimizer hint). */
  private boolean blockComment(long startLine) throws IOException {
    boolean keep = syntax == SqlSyntax.MYSQL && (peek() == '!' || peek() == '+');
    if (keep) {
      append('/');
      append('*');
    }
    int depth = 1;
    int previous = -1;
    while (depth > 0) {
      int c = read();
      if (c < 0) {
        throw endsInside("a comment", startLine);
      }
      if (keep) {
        append(c);
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
      append(' ');
    }
    return keep;
  }

  private void dollarQuoted(long startLine) throws IOException {
    StringBuilder tag = new StringBuilder("$");
    while (true) {
      int c = peek();
      if (c == '$') {
        tag.append((char) read());
        break;
      }
      if (c >= 0
          && c < 0x80
          && (Character.isLetterOrDigit(c) || c == '_')
          && !(tag.length() == 1 && Character.isDigit(c))) {
        tag.append((char) read());
      } else {
        // Not a dollar quote ($1 parameter or an operator): plain text.
        appendAscii(tag);
        return;
      }
    }
    appendAscii(tag);
    String end = tag.toString();
    int matched = 0;
    while (matched < end.length()) {
      int c = read();
      if (c < 0) {
        throw endsInside("a dollar-quoted string", startLine);
      }
      append(c);
      if (c == end.charAt(matched)) {
        matched++;
      } else {
        matched = c == end.charAt(0) ? 1 : 0;
      }
    }
  }

  private boolean isEscapeStringPrefix() {
    int n = sqlLength;
    if (n == 0 || (sql[n - 1] != 'E' && sql[n - 1] != 'e')) {
      return false;
    }
    return n == 1 || !isIdentifierByte(sql[n - 2]);
  }

  private boolean endsWithIdentifierChar() {
    return sqlLength > 0 && isIdentifierByte(sql[sqlLength - 1]);
  }

  /** Letters and digits of any script (non-ASCII UTF-8 bytes), '_' and '$'. */
  private static boolean isIdentifierByte(byte b) {
    return b < 0
        || (b >= 'a' && b <= 'z')
        || (b >= 'A' && b <= 'Z')
        || (b >= '0' && b <= '9')
        || b == '_'
        || b == '$';
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
    while (true) {
      int eol = indexOf('\n', position, limit);
      if (eol >= 0) {
        position = eol + 1;
        line++;
        return;
      }
      position = limit;
      if (!fill()) {
        return;
      }
    }
  }

  private String statementText() throws DumpFormatException {
    int start = 0;
    int end = sqlLength;
    while (start < end && (sql[start] & 0xff) <= ' ') {
      start++;
    }
    while (end > start && (sql[end - 1] & 0xff) <= ' ') {
      end--;
    }
    String text = new String(sql, start, end - start, StandardCharsets.UTF_8);
    if (text.indexOf('\uFFFD') >= 0) {
      // Either a genuine U+FFFD or invalid UTF-8 that the lenient decoder replaced.
      try {
        StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(sql, start, end - start));
      } catch (CharacterCodingException e) {
        throw new DumpFormatException(
            "invalid UTF-8 in the statement ending at line " + line + " (altered dump?)");
      }
    }
    return text;
  }

  private void append(int b) {
    if (sqlLength == sql.length) {
      sql = Arrays.copyOf(sql, sql.length * 2);
    }
    sql[sqlLength++] = (byte) b;
  }

  private void append(byte[] bytes, int offset, int length) {
    if (sqlLength + length > sql.length) {
      sql = Arrays.copyOf(sql, Math.max(sql.length * 2, sqlLength + length));
    }
    System.arraycopy(bytes, offset, sql, sqlLength, length);
    sqlLength += length;
  }

  private void appendAscii(CharSequence text) {
    for (int i = 0; i < text.length(); i++) {
      append(text.charAt(i));
    }
  }

  private int read() throws IOException {
    if (position == limit && !fill()) {
      return -1;
    }
    int c = buffer[position++] & 0xff;
    if (c == '\n') {
      line++;
    }
    return c;
  }

  private int peek() throws IOException {
    if (position == limit && !fill()) {
      return -1;
    }
    return buffer[position] & 0xff;
  }

  private int indexOf(int b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (buffer[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Reads more input behind what is buffered, first moving the unread bytes (and the one before
   * them, so that a single step back stays possible) to the front. False when nothing could be
   * added: end of input, or the buffer is full.
   */
  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    int keep = Math.min(position, 1);
    int from = position - keep;
    if (from > 0) {
      consumed += from;
      System.arraycopy(buffer, from, buffer, 0, limit - from);
      limit -= from;
      position = keep;
    }
    if (limit == buffer.length) {
      return false;
    }
    int n = in.read(buffer, limit, buffer.length - limit);
    if (n < 0) {
      eof = true;
      return false;
    }
    limit += n;
    return n > 0 || fill();
  }

  @Override
  public String toString() {
    return "StatementReader[" + syntax.name().toLowerCase(Locale.ROOT) + ", line " + line + "]";
  }
}
