package io.metadataops.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.metadataops.backup.common.ConnectionSpec;
import io.metadataops.backup.testing.DatabaseServers;
import io.metadataops.backup.testing.DatabaseServers.Databases;
import io.metadataops.backup.testing.DbServer;
import io.metadataops.backup.testing.Fixtures;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the upgrade's pre-flight reads from the inspect Job's summary (its termination message), on
 * the real servers: the database server's engine and version, MySQL's session sort buffer, and
 * where the engine connected, the way the server's own environment says.
 */
@Tag("database")
@ExtendWith(DatabaseServers.class)
class InspectPreFlightTest {

  @ParameterizedTest
  @EnumSource(DbServer.class)
  void summaryNamesTheServerItsVersionAndWhereItConnected(DbServer server, Databases databases)
      throws Exception {
    ConnectionSpec spec = databases.fresh(server);

    JsonNode summary = inspect(env(server, spec, null));

    String scheme = server == DbServer.POSTGRES ? "postgresql" : "mysql";
    assertThat(summary.get("status").asText()).isEqualTo("Succeeded");
    assertThat(summary.get("database").asText())
        .isEqualTo(scheme + "://127.0.0.1:" + server.port() + "/" + spec.database());
    assertThat(summary.get("serverVersion").asText()).isEqualTo(query(spec, versionQuery(server)));
    assertThat(summary.get("engine").asText())
        .isEqualTo(
            switch (server) {
              case MARIADB -> "mariadb";
              case MYSQL8 -> "mysql";
              case POSTGRES -> "postgresql";
            });
    if (server.isMysqlFamily()) {
      assertThat(summary.get("sortBufferSize").asLong())
          .isEqualTo(Long.parseLong(query(spec, "SELECT @@SESSION.sort_buffer_size")));
    } else {
      assertThat(summary.has("sortBufferSize")).isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = DbServer.class,
      names = {"MYSQL8", "MARIADB"})
  void sortBufferSetByTheConnectionParametersIsTheOneReported(DbServer server, Databases databases)
      throws Exception {
    ConnectionSpec spec = databases.fresh(server);
    long twentyMegabytes = 20L * 1024 * 1024;

    JsonNode summary =
        inspect(env(server, spec, "sessionVariables=sort_buffer_size=" + twentyMegabytes));

    assertThat(summary.get("sortBufferSize").asLong()).isEqualTo(twentyMegabytes);
    assertThat(Long.parseLong(query(spec, "SELECT @@SESSION.sort_buffer_size")))
        .as("the server's own default differs, so the parameter made the difference")
        .isNotEqualTo(twentyMegabytes);
  }

  @ParameterizedTest
  @EnumSource(
      value = DbServer.class,
      names = {"MYSQL8"})
  void unreachableServerStillSaysWhereItWasLookedFor(DbServer server, Databases databases)
      throws Exception {
    ConnectionSpec spec = databases.fresh(server);
    Map<String, String> env = env(server, spec, null);
    env.put("DB_PORT", "1");

    JsonNode summary = inspect(env);

    assertThat(summary.get("status").asText()).isEqualTo("Failed");
    assertThat(summary.get("database").asText())
        .isEqualTo("mysql://127.0.0.1:1/" + spec.database());
  }

  private static String versionQuery(DbServer server) {
    return server == DbServer.POSTGRES ? "SHOW server_version" : "SELECT VERSION()";
  }

  private static String query(ConnectionSpec spec, String sql) throws Exception {
    try (Connection c = Fixtures.connect(spec);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static JsonNode inspect(Map<String, String> env) throws Exception {
    return EngineCliTest.run(env, "inspect").summary();
  }

  private static Map<String, String> env(DbServer server, ConnectionSpec spec, String params) {
    Map<String, String> env = EngineCliTest.env(server, spec);
    if (params != null) {
      env.put("DB_PARAMS", params);
    }
    return env;
  }
}
