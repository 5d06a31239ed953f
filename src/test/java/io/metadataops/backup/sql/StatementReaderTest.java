package io.metadataops.backup.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class StatementReaderTest {

  private static List<String> split(String sql, SqlSyntax syntax) throws Exception {
    StatementReader reader =
        new StatementReader(new ByteArrayInputStream(sql.getBytes(StandardCharsets.UTF_8)), syntax);
    List<String> statements = new ArrayList<>();
    String s;
    while ((s = reader.next()) != null) {
      statements.add(s);
      if (syntax == SqlSyntax.POSTGRESQL && StatementReader.isCopyFromStdin(s)) {
        java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
        long rows = reader.copyData(data::write);
        String text = data.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text.isEmpty() ? 0 : text.split("\n", -1).length - 1).isEqualTo(rows);
        for (String line : text.split("\n")) {
          if (!line.isEmpty()) {
            statements.add("row:" + line);
          }
        }
      }
    }
    return statements;
  }

  @Test
  void mysqlSemicolonsInsideStringsIdentifiersAndCommentsDoNotSplit() throws Exception {
    String sql =
        "-- header; comment\n"
            + "SET NAMES utf8mb4;\n"
            + "# hash comment; here\n"
            + "INSERT INTO `a;b` VALUES ('x;y', \"q\\\";\", 'it\\'s; \\\\', 'dq''x;');\n"
            + "/* block; comment */ SELECT 1;\n"
            + "/*!40101 SET x = 1 */;\n"
            + "SELECT 5--1;\n"
            + ";;\n"
            + "SELECT 'last'";
    assertThatThrownBy(() -> split(sql, SqlSyntax.MYSQL)).isInstanceOf(DumpFormatException.class);
    assertThat(split(sql + ";", SqlSyntax.MYSQL))
        .containsExactly(
            "SET NAMES utf8mb4",
            "INSERT INTO `a;b` VALUES ('x;y', \"q\\\";\", 'it\\'s; \\\\', 'dq''x;')",
            "SELECT 1",
            "/*!40101 SET x = 1 */",
            "SELECT 5--1",
            "SELECT 'last'");
  }

  @Test
  void mysqlBackslashEscapedQuoteDoesNotEndTheString() throws Exception {
    assertThat(split("SELECT 'a\\';b';SELECT 2;", SqlSyntax.MYSQL))
        .containsExactly("SELECT 'a\\';b'", "SELECT 2");
  }

  @Test
  void postgresBackslashesAreLiteralExceptInEscapeStrings() throws Exception {
    assertThat(split("SELECT 'a\\';SELECT E'b\\';c';SELECT 'd''e;';", SqlSyntax.POSTGRESQL))
        .containsExactly("SELECT 'a\\'", "SELECT E'b\\';c'", "SELECT 'd''e;'");
  }

  @Test
  void postgresDollarQuotingAndNestedComments() throws Exception {
    String sql =
        "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $x$ $body$ LANGUAGE sql;\n"
            + "SELECT $$a;b$$;\n"
            + "/* outer /* inner; */ still comment; */ SELECT \"col;name\" FROM t;\n"
            + "SELECT $1;";
    assertThat(split(sql, SqlSyntax.POSTGRESQL))
        .containsExactly(
            "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $x$ $body$ LANGUAGE sql",
            "SELECT $$a;b$$",
            "SELECT \"col;name\" FROM t",
            "SELECT $1");
  }

  @Test
  void postgresCopyDataIsReadLineByLine() throws Exception {
    String sql =
        "COPY \"t\" (\"a\",\"b\") FROM stdin;\n"
            + "1\tx;y\n"
            + "2\t\\N\n"
            + "3\t😀 é 漢\\\\.\n"
            + "\\.\n"
            + "SELECT 1;\n";
    assertThat(split(sql, SqlSyntax.POSTGRESQL))
        .containsExactly(
            "COPY \"t\" (\"a\",\"b\") FROM stdin",
            "row:1\tx;y",
            "row:2\t\\N",
            "row:3\t😀 é 漢\\\\.",
            "SELECT 1");
  }

  @Test
  void truncatedInputIsAFormatError() {
    assertThatThrownBy(() -> split("INSERT INTO t VALUES ('abc", SqlSyntax.MYSQL))
        .isInstanceOf(DumpFormatException.class)
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> split("COPY t (a) FROM stdin;\n1\n", SqlSyntax.POSTGRESQL))
        .isInstanceOf(DumpFormatException.class);
    assertThatThrownBy(() -> split("SELECT 1 /* open", SqlSyntax.POSTGRESQL))
        .isInstanceOf(DumpFormatException.class);
  }

  @Test
  void statementsLongerThanTheBufferStayWhole() throws Exception {
    String value = "x;'".repeat(100_000).replace("'", "''");
    List<String> statements = split("SELECT '" + value + "';SELECT 2;", SqlSyntax.POSTGRESQL);
    assertThat(statements).hasSize(2);
    assertThat(statements.get(0)).hasSize(value.length() + 9);
  }

  @Test
  void copyDataComesInPiecesOfWholeRowsAndLongRowsInParts() throws Exception {
    String longRow = "9\t" + "x".repeat(25) + "\n";
    String sql = "COPY t (a) FROM stdin;\n1\ta\n22\tbb\n" + longRow + "4\td\n\\.\nSELECT 1;\n";
    StatementReader reader =
        new StatementReader(
            new ByteArrayInputStream(sql.getBytes(StandardCharsets.UTF_8)), SqlSyntax.POSTGRESQL);
    assertThat(reader.next()).isEqualTo("COPY t (a) FROM stdin");
    byte[] piece = new byte[12];
    List<String> pieces = new ArrayList<>();
    List<Boolean> insideRow = new ArrayList<>();
    int n;
    while ((n = reader.readCopyData(piece)) >= 0) {
      pieces.add(new String(piece, 0, n, StandardCharsets.UTF_8));
      insideRow.add(reader.endsInsideRow());
    }
    assertThat(String.join("", pieces)).isEqualTo("1\ta\n22\tbb\n" + longRow + "4\td\n");
    // Whole rows while they fit; the 28-byte row alone in parts of at most 12 bytes.
    assertThat(pieces.get(0)).isEqualTo("1\ta\n22\tbb\n");
    assertThat(pieces).allMatch(p -> p.length() <= 12);
    assertThat(insideRow).containsExactly(false, true, true, false);
    assertThat(pieces.get(3)).isEqualTo("x".repeat(3) + "\n4\td\n");
    assertThat(reader.next()).isEqualTo("SELECT 1");
    assertThat(reader.next()).isNull();
    assertThat(reader.bytesRead()).isEqualTo(sql.length());
  }

  @Test
  void invalidUtf8InAStatementIsAFormatError() throws Exception {
    byte[] sql = {'S', 'E', 'L', 'E', 'C', 'T', ' ', '\'', (byte) 0xC3, '\'', ';'};
    assertThatThrownBy(
            () -> new StatementReader(new ByteArrayInputStream(sql), SqlSyntax.MYSQL).next())
        .isInstanceOf(DumpFormatException.class)
        .hasMessageContaining("invalid UTF-8");
    byte[] replacement = "SELECT '\uFFFD';".getBytes(StandardCharsets.UTF_8);
    assertThat(split(new String(replacement, StandardCharsets.UTF_8), SqlSyntax.MYSQL))
        .containsExactly("SELECT '\uFFFD'");
  }

  @Test
  void mysqlDelimiterLinesAsMysqldumpWritesThemAroundRoutinesAndTriggers() throws Exception {
    String sql =
        "SET sql_mode = 'A';\n"
            + "\nDELIMITER ;;\n"
            + "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET NEW.a = ';'; SET NEW.b = 1;"
            + " END;;\n"
            + "DELIMITER ;\n"
            + "delimiter ;;\n"
            + "CREATE PROCEDURE p() BEGIN SELECT 1; END ;;\n"
            + "DELIMITER ;\n"
            + "INSERT INTO `DELIMITER` VALUES (';;');\n";
    assertThat(split(sql, SqlSyntax.MYSQL))
        .containsExactly(
            "SET sql_mode = 'A'",
            "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET NEW.a = ';'; SET NEW.b = 1;"
                + " END",
            "CREATE PROCEDURE p() BEGIN SELECT 1; END",
            "INSERT INTO `DELIMITER` VALUES (';;')");
    assertThatThrownBy(() -> split("DELIMITER //\nSELECT 1//\n", SqlSyntax.MYSQL))
        .isInstanceOf(DumpFormatException.class)
        .hasMessageContaining("DELIMITER //");
  }

  @Test
  void postgresHasNoDelimiterCommand() throws Exception {
    assertThat(split("DELIMITER ;;\nSELECT 1;", SqlSyntax.POSTGRESQL))
        .containsExactly("DELIMITER", "SELECT 1");
  }
}
