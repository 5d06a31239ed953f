package io.metadataops.backup.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The rewrites of catalog text that make schema objects restorable elsewhere. */
@Tag("unit")
class SchemaTextTest {

  @Test
  void definerIsDroppedFromEveryKindOfMysqlStatement() {
    assertThat(
            MySqlDialect.withoutDefiner(
                "CREATE ALGORITHM=UNDEFINED DEFINER=`metadataops`@`%` SQL SECURITY DEFINER VIEW"
                    + " `v` AS select 1"))
        .isEqualTo("CREATE ALGORITHM=UNDEFINED SQL SECURITY DEFINER VIEW `v` AS select 1");
    assertThat(
            MySqlDialect.withoutDefiner(
                "CREATE DEFINER=`o``dd`@`localhost` TRIGGER `t` BEFORE INSERT ON `x` FOR EACH ROW"
                    + " SET NEW.a = 'DEFINER=`x`@`y` '"))
        .isEqualTo(
            "CREATE TRIGGER `t` BEFORE INSERT ON `x` FOR EACH ROW SET NEW.a = 'DEFINER=`x`@`y` '");
    assertThat(MySqlDialect.withoutDefiner("CREATE DEFINER=CURRENT_USER PROCEDURE `p`() SELECT 1"))
        .isEqualTo("CREATE PROCEDURE `p`() SELECT 1");
  }

  @Test
  void onlyCollationsThatRepeatTheTableDefaultAreDropped() {
    String ddl =
        "CREATE TABLE `t` (\n"
            + "  `id` varchar(36) COLLATE utf8mb4_bin NOT NULL,\n"
            + "  `e` enum('a)','b''c') COLLATE utf8mb4_bin DEFAULT 'a)',\n"
            + "  `x` varchar(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL,\n"
            + "  `y` varchar(10) COLLATE utf8mb4_general_ci DEFAULT ' COLLATE utf8mb4_bin',\n"
            + "  `z` text COLLATE utf8mb4_bin,\n"
            + "  PRIMARY KEY (`id`)\n"
            + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
    assertThat(MySqlDialect.inheritedCollations(ddl))
        .isEqualTo(
            "CREATE TABLE `t` (\n"
                + "  `id` varchar(36) NOT NULL,\n"
                + "  `e` enum('a)','b''c') DEFAULT 'a)',\n"
                + "  `x` varchar(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL,\n"
                + "  `y` varchar(10) COLLATE utf8mb4_general_ci DEFAULT ' COLLATE utf8mb4_bin',\n"
                + "  `z` text,\n"
                + "  PRIMARY KEY (`id`)\n"
                + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
    String plain = "CREATE TABLE `t` (\n  `a` int\n) ENGINE=InnoDB DEFAULT CHARSET=latin1";
    assertThat(MySqlDialect.inheritedCollations(plain)).isEqualTo(plain);
  }

  @Test
  void routinesLoseTheSchemaPgGetFunctiondefAlwaysPuts() {
    assertThat(
            PostgresSchema.unqualifiedRoutine(
                "CREATE OR REPLACE FUNCTION public.f(a integer)\n RETURNS integer", "public"))
        .isEqualTo("CREATE OR REPLACE FUNCTION f(a integer)\n RETURNS integer");
    assertThat(
            PostgresSchema.unqualifiedRoutine(
                "CREATE OR REPLACE PROCEDURE \"My Schema\".p()\n LANGUAGE sql", "My Schema"))
        .isEqualTo("CREATE OR REPLACE PROCEDURE p()\n LANGUAGE sql");
  }

  @Test
  void mariadbSequencesInDefaultsLoseTheSourceDatabase() {
    assertThat(
            MySqlDialect.unqualifiedSequences(
                "  `id` int(11) NOT NULL DEFAULT nextval(`om`.`s1`),\n"
                    + "  `x` varchar(20) DEFAULT 'nextval(`om`.`s1`)'",
                "om"))
        .startsWith("  `id` int(11) NOT NULL DEFAULT nextval(`s1`),");
    assertThat(MySqlDialect.unqualifiedSequences("`a` int DEFAULT nextval(`other`.`s`)", "om"))
        .isEqualTo("`a` int DEFAULT nextval(`other`.`s`)");
  }
}
