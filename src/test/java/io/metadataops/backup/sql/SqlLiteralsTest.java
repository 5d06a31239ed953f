package io.metadataops.backup.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class SqlLiteralsTest {

  private static String mysql(String s) {
    return SqlLiterals.mysqlString(new TextBuffer(8), s).toString();
  }

  private static String postgres(String s) {
    return SqlLiterals.postgresString(new StringBuilder(), s).toString();
  }

  @Test
  void mysqlEscapesQuotesBackslashesAndControlCharacters() {
    assertThat(mysql("")).isEqualTo("''");
    assertThat(mysql("O'Reilly")).isEqualTo("'O\\'Reilly'");
    assertThat(mysql("a\\b")).isEqualTo("'a\\\\b'");
    assertThat(mysql("nul\0 nl\n cr\r z\u001a")).isEqualTo("'nul\\0 nl\\n cr\\r z\\Z'");
    assertThat(mysql("😀 \"dq\" `bt`")).isEqualTo("'😀 \"dq\" `bt`'");
    assertThat(mysql("é'\\x")).isEqualTo("'é\\'\\\\x'");
  }

  @Test
  void postgresOnlyDoublesQuotesBecauseBackslashesAreLiteral() {
    assertThat(postgres("O'Reilly")).isEqualTo("'O''Reilly'");
    assertThat(postgres("a\\b\\n")).isEqualTo("'a\\b\\n'");
    assertThat(postgres("line\nbreak 😀")).isEqualTo("'line\nbreak 😀'");
    assertThatThrownBy(() -> postgres("nul\0")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void binaryBecomesHexLiterals() {
    byte[] bytes = {0, 0x27, 0x5c, (byte) 0xff};
    assertThat(SqlLiterals.mysqlHex(new TextBuffer(1), bytes).toString()).isEqualTo("X'00275CFF'");
    assertThat(SqlLiterals.mysqlHex(new TextBuffer(1), new byte[0]).toString()).isEqualTo("X''");
  }

  @Test
  void identifiersAreQuotedPerEngine() {
    assertThat(SqlLiterals.mysqlIdentifier("we`ird")).isEqualTo("`we``ird`");
    assertThat(SqlLiterals.postgresIdentifier("We\"ird")).isEqualTo("\"We\"\"ird\"");
  }
}
