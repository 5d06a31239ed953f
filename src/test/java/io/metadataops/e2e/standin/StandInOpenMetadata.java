package io.metadataops.e2e.standin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A stand-in for the OpenMetadata server of one release, for the end-to-end tests. It is the
 * content of the stand-in server image (src/test/docker/openmetadata-standin, one image per tag,
 * the tag baked in as {@code OPENMETADATA_VERSION}), and the local provider runs the same code for
 * migration pods. It needs nothing but the JDK and the JDBC drivers, which the operator image it is
 * built on carries.
 *
 * <ul>
 *   <li>{@code serve}: port 8585, {@code GET /api/v1/system/version} answers {@code {"version":
 *       "<its own tag>", ...}} as OpenMetadata does, but only while the database's schema version
 *       is its own (503 otherwise: the real server refuses to run with pending migrations).
 *   <li>{@code migrate} (what {@code ./bootstrap/openmetadata-ops.sh migrate} runs): on an empty
 *       database, creates an OpenMetadata-like schema with data at its version, as a first install
 *       does; on an older one, migrates every entity row (a JSON change) and records its version in
 *       {@code SERVER_CHANGE_LOG}; crossing 1.5 it also turns an entity's {@code owner} into {@code
 *       owners}, as OpenMetadata 1.5's data migration does. The tag {@link #BROKEN_MIGRATION} fails
 *       halfway (so does any tag with {@link #FAIL_MIGRATION}{@code =true} in the environment): it
 *       changes half of the rows, records nothing and exits 1, leaving a half-migrated database as
 *       a real failed migration does.
 *   <li>{@code reindex} (what {@code ./bootstrap/openmetadata-ops.sh reindex} runs): refuses a
 *       database whose schema is not its own version, then recreates the search index of the
 *       server's settings ({@code ELASTICSEARCH_SCHEME}, {@code ELASTICSEARCH_HOST}, {@code
 *       ELASTICSEARCH_PORT}) and bulk-indexes every entity row into it, over the Elasticsearch REST
 *       API; exit 1 when the search engine cannot be reached or refuses.
 * </ul>
 *
 * The database comes from OpenMetadata's own environment variables ({@code DB_SCHEME}, {@code
 * DB_HOST}, {@code DB_PORT}, {@code DB_USER}, {@code DB_USER_PASSWORD}, {@code OM_DATABASE}, {@code
 * DB_PARAMS}).
 */
public final class StandInOpenMetadata {

  /** The release whose stand-in migration always fails halfway. */
  public static final String BROKEN_MIGRATION = "1.6.4";

  /** Entity rows a first install creates. */
  public static final int ENTITIES = 40;

  /**
   * Set to {@code true} in the server's environment (which migration Jobs copy), the migration
   * fails halfway at any version, as {@link #BROKEN_MIGRATION}'s always does: the demo's rollback.
   */
  public static final String FAIL_MIGRATION = "OPENMETADATA_STANDIN_FAIL_MIGRATION";

  /** The release whose data migration turns an entity's {@code owner} into {@code owners}. */
  static final String OWNERS_SINCE = "1.5.0";

  private static final ObjectMapper JSON = new ObjectMapper();

  public static final String VERSION_PATH = "/api/v1/system/version";
  public static final int PORT = 8585;

  private StandInOpenMetadata() {}

  public static void main(String[] args) throws Exception {
    String version = System.getenv("OPENMETADATA_VERSION");
    if (version == null || version.isBlank() || args.length != 1) {
      System.err.println(
          "usage: OPENMETADATA_VERSION=x.y.z StandInOpenMetadata serve|migrate|reindex");
      System.exit(2);
    }
    Map<String, String> env = System.getenv();
    switch (args[0]) {
      case "migrate" -> {
        Outcome outcome = migrate(env, version);
        (outcome.exitCode() == 0 ? System.out : System.err).println(outcome.message());
        System.exit(outcome.exitCode());
      }
      case "reindex" -> {
        Outcome outcome = reindex(env, version);
        (outcome.exitCode() == 0 ? System.out : System.err).println(outcome.message());
        System.exit(outcome.exitCode());
      }
      case "serve" -> {
        serve(new InetSocketAddress(PORT), version, env);
        System.out.println("stand-in OpenMetadata " + version + " listening on :" + PORT);
        Thread.currentThread().join();
      }
      default -> {
        System.err.println("unknown command " + args[0]);
        System.exit(2);
      }
    }
  }

  /** The result of a command: exit code and the message a pod would report. */
  public record Outcome(int exitCode, String message) {}

  // ---- serve --------------------------------------------------------------------------------

  /** Starts the HTTP server (port 0: any free port); stop it with {@link HttpServer#stop}. */
  public static HttpServer serve(InetSocketAddress address, String version, Map<String, String> env)
      throws IOException {
    HttpServer server = HttpServer.create(address, 16);
    server.createContext(VERSION_PATH, exchange -> answer(exchange, version, env));
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
    return server;
  }

  private static void answer(HttpExchange exchange, String version, Map<String, String> env)
      throws IOException {
    int code;
    String body;
    try (Connection c = connect(env)) {
      String schema = schemaVersion(c);
      if (version.equals(schema)) {
        code = 200;
        body =
            "{\"version\":\"%s\",\"revision\":\"stand-in\",\"timestamp\":%d}"
                .formatted(version, System.currentTimeMillis());
      } else {
        code = 503;
        body =
            "{\"code\":503,\"message\":\"the database schema is %s, this server is %s: %s\"}"
                .formatted(
                    schema,
                    version,
                    schema == null || compare(schema, version) < 0
                        ? "there are pending migrations"
                        : "the database is newer than this server");
      }
    } catch (SQLException e) {
      code = 503;
      body = "{\"code\":503,\"message\":\"database unreachable\"}";
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  // ---- migrate ------------------------------------------------------------------------------

  /** Brings the database to {@code version}; see the class comment. Never throws. */
  public static Outcome migrate(Map<String, String> env, String version) {
    try (Connection c = connect(env)) {
      boolean postgres = isPostgres(env);
      String current = schemaVersion(c);
      if (current == null) {
        createSchema(c, postgres, version);
        return new Outcome(0, "Created the schema of " + version + " with " + ENTITIES + " rows.");
      }
      if (compare(current, version) >= 0) {
        return new Outcome(0, "The database is at " + current + ": nothing to migrate.");
      }
      List<String> ids = new ArrayList<>();
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT id FROM table_entity ORDER BY id")) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
      boolean broken =
          BROKEN_MIGRATION.equals(version) || "true".equalsIgnoreCase(env.get(FAIL_MIGRATION));
      int limit = broken ? ids.size() / 2 : ids.size();
      String update =
          postgres
              ? "UPDATE table_entity SET json = jsonb_set(json, '{migratedTo}', to_jsonb(?::text))"
                  + " WHERE id = ?"
              : "UPDATE table_entity SET json = JSON_SET(json, '$.migratedTo', ?) WHERE id = ?";
      try (PreparedStatement ps = c.prepareStatement(update)) {
        for (String id : ids.subList(0, limit)) {
          ps.setString(1, version);
          ps.setString(2, id);
          ps.executeUpdate();
        }
      }
      // OpenMetadata 1.5's data migration: an entity's "owner" becomes the list "owners".
      int owners =
          compare(current, OWNERS_SINCE) < 0 && compare(version, OWNERS_SINCE) >= 0
              ? ownerToOwners(c, postgres, ids.subList(0, limit))
              : 0;
      String done = owners > 0 ? " (owner -> owners in %d rows)".formatted(owners) : "";
      if (broken) {
        return new Outcome(
            1,
            "Migration from %s to %s failed after %d of %d table_entity rows%s (%s): the database is half-migrated."
                .formatted(
                    current,
                    version,
                    limit,
                    ids.size(),
                    done,
                    BROKEN_MIGRATION.equals(version)
                        ? "the stand-in of " + BROKEN_MIGRATION + " always fails"
                        : FAIL_MIGRATION + "=true"));
      }
      recordVersion(c, version);
      return new Outcome(
          0, "Migrated from %s to %s: %d rows%s.".formatted(current, version, ids.size(), done));
    } catch (SQLException e) {
      return new Outcome(1, "Migration to " + version + " failed: " + e.getMessage());
    }
  }

  // ---- reindex ------------------------------------------------------------------------------

  /** The index of table entities, named as OpenMetadata names it. */
  public static final String TABLE_INDEX = "table_search_index";

  /** Rebuilds the search index from the database; see the class comment. Never throws. */
  public static Outcome reindex(Map<String, String> env, String version) {
    String search =
        "%s://%s:%s"
            .formatted(
                env.getOrDefault("ELASTICSEARCH_SCHEME", "http"),
                env.get("ELASTICSEARCH_HOST"),
                env.getOrDefault("ELASTICSEARCH_PORT", "9200"));
    try (Connection c = connect(env)) {
      String schema = schemaVersion(c);
      if (!version.equals(schema)) {
        return new Outcome(
            1,
            "Reindex refused: the database schema is %s, this server is %s."
                .formatted(schema, version));
      }
      StringBuilder bulk = new StringBuilder();
      int entities = 0;
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT id, json FROM table_entity ORDER BY id")) {
        while (rs.next()) {
          bulk.append("{\"index\":{\"_id\":\"").append(rs.getString(1)).append("\"}}\n");
          bulk.append(JSON.readTree(rs.getString(2)).toString()).append('\n');
          entities++;
        }
      }
      HttpClient http = HttpClient.newHttpClient();
      send(http, HttpRequest.newBuilder(URI.create(search + "/" + TABLE_INDEX)).DELETE(), 404);
      send(
          http,
          HttpRequest.newBuilder(URI.create(search + "/" + TABLE_INDEX))
              .PUT(HttpRequest.BodyPublishers.ofString("{}")),
          -1);
      send(
          http,
          HttpRequest.newBuilder(URI.create(search + "/" + TABLE_INDEX + "/_bulk"))
              .header("Content-Type", "application/x-ndjson")
              .POST(HttpRequest.BodyPublishers.ofString(bulk.toString())),
          -1);
      return new Outcome(
          0, "Reindexed %d entities into %s/%s.".formatted(entities, search, TABLE_INDEX));
    } catch (SQLException | IOException e) {
      return new Outcome(1, "Reindex into " + search + " failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(1, "Reindex interrupted");
    }
  }

  /** Sends a request; any status but 2xx (or {@code alsoFine}) is a failure. */
  private static void send(HttpClient http, HttpRequest.Builder request, int alsoFine)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    int code = response.statusCode();
    if (code / 100 != 2 && code != alsoFine) {
      throw new IOException(
          "the search engine answered %d to %s: %s"
              .formatted(code, request.build().uri(), response.body()));
    }
  }

  /** Turns "owner" into "owners": [owner] in the JSON of these table_entity rows; how many. */
  private static int ownerToOwners(Connection c, boolean postgres, List<String> ids)
      throws SQLException {
    int changed = 0;
    try (PreparedStatement read = c.prepareStatement("SELECT json FROM table_entity WHERE id = ?");
        PreparedStatement write =
            c.prepareStatement(
                "UPDATE table_entity SET json = "
                    + (postgres ? "?::jsonb" : "?")
                    + " WHERE id = ?")) {
      for (String id : ids) {
        read.setString(1, id);
        String text;
        try (ResultSet rs = read.executeQuery()) {
          if (!rs.next()) {
            continue;
          }
          text = rs.getString(1);
        }
        ObjectNode json;
        try {
          json = (ObjectNode) JSON.readTree(text);
        } catch (IOException e) {
          throw new SQLException("table_entity " + id + " holds no JSON object", e);
        }
        if (!json.has("owner")) {
          continue;
        }
        ArrayNode list = json.putArray("owners");
        list.add(json.remove("owner"));
        write.setString(1, json.toString());
        write.setString(2, id);
        write.executeUpdate();
        changed++;
      }
    }
    return changed;
  }

  private static void createSchema(Connection c, boolean postgres, String version)
      throws SQLException {
    try (Statement st = c.createStatement()) {
      if (postgres) {
        st.execute(
            "CREATE TABLE SERVER_CHANGE_LOG (installed_rank SERIAL PRIMARY KEY,"
                + " version VARCHAR(256) NOT NULL, migrationFileName VARCHAR(256) NOT NULL,"
                + " checksum VARCHAR(256) NOT NULL, installed_on TIMESTAMP NOT NULL DEFAULT now())");
        st.execute(
            "CREATE TABLE table_entity (id VARCHAR(36) PRIMARY KEY, json JSONB NOT NULL,"
                + " fqnHash VARCHAR(256) NOT NULL,"
                + " name VARCHAR(256) GENERATED ALWAYS AS (json ->> 'name') STORED)");
        st.execute(
            "CREATE TABLE entity_relationship (fromId VARCHAR(36) NOT NULL,"
                + " toId VARCHAR(36) NOT NULL, relation SMALLINT NOT NULL,"
                + " PRIMARY KEY (fromId, toId, relation))");
      } else {
        st.execute(
            "CREATE TABLE SERVER_CHANGE_LOG (installed_rank INT AUTO_INCREMENT PRIMARY KEY,"
                + " version VARCHAR(256) NOT NULL, migrationFileName VARCHAR(256) NOT NULL,"
                + " checksum VARCHAR(256) NOT NULL,"
                + " installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)");
        st.execute(
            "CREATE TABLE table_entity (id VARCHAR(36) PRIMARY KEY, json JSON NOT NULL,"
                + " fqnHash VARCHAR(256) NOT NULL,"
                + " name VARCHAR(256) GENERATED ALWAYS AS (json ->> '$.name') STORED)");
        st.execute(
            "CREATE TABLE entity_relationship (fromId VARCHAR(36) NOT NULL,"
                + " toId VARCHAR(36) NOT NULL, relation TINYINT NOT NULL,"
                + " PRIMARY KEY (fromId, toId, relation))");
      }
    }
    String insert =
        "INSERT INTO table_entity (id, json, fqnHash) VALUES (?, "
            + (postgres ? "?::jsonb" : "?")
            + ", ?)";
    try (PreparedStatement entities = c.prepareStatement(insert);
        PreparedStatement relations =
            c.prepareStatement(
                "INSERT INTO entity_relationship (fromId, toId, relation) VALUES (?, ?, 0)")) {
      for (int i = 0; i < ENTITIES; i++) {
        String id = "00000000-0000-0000-0000-%012d".formatted(i);
        String fqn = "mysql_prod.shop.public.table_" + i;
        entities.setString(1, id);
        entities.setString(
            2,
            ("{\"id\":\"%s\",\"name\":\"table_%d\",\"fullyQualifiedName\":\"%s\","
                    + "\"description\":\"O'Reilly \\\"quoted\\\" back\\\\slash %d\"}")
                .formatted(id, i, fqn, i));
        entities.setString(3, Integer.toHexString(fqn.hashCode()));
        entities.executeUpdate();
        if (i > 0) {
          relations.setString(1, "00000000-0000-0000-0000-%012d".formatted(0));
          relations.setString(2, id);
          relations.executeUpdate();
        }
      }
    }
    recordVersion(c, version);
  }

  private static void recordVersion(Connection c, String version) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO SERVER_CHANGE_LOG (version, migrationFileName, checksum)"
                + " VALUES (?, ?, ?)")) {
      ps.setString(1, version);
      ps.setString(2, "bootstrap/sql/migrations/native/" + version + "/schemaChanges.sql");
      ps.setString(3, Integer.toHexString(version.hashCode()));
      ps.executeUpdate();
    }
  }

  // ---- the database -------------------------------------------------------------------------

  /** A connection from OpenMetadata's DB_* variables. */
  public static Connection connect(Map<String, String> env) throws SQLException {
    String params = env.getOrDefault("DB_PARAMS", "");
    String url =
        "jdbc:%s://%s:%s/%s%s"
            .formatted(
                isPostgres(env) ? "postgresql" : "mysql",
                env.get("DB_HOST"),
                env.get("DB_PORT"),
                env.get("OM_DATABASE"),
                params.isEmpty() ? "" : "?" + params);
    return DriverManager.getConnection(url, env.get("DB_USER"), env.get("DB_USER_PASSWORD"));
  }

  private static boolean isPostgres(Map<String, String> env) {
    return "postgresql".equals(env.get("DB_SCHEME"));
  }

  /** The highest plain x.y.z in SERVER_CHANGE_LOG, null when there is no such table. */
  public static String schemaVersion(Connection c) throws SQLException {
    DatabaseMetaData meta = c.getMetaData();
    boolean exists = false;
    for (String name : List.of("SERVER_CHANGE_LOG", "server_change_log")) {
      try (ResultSet rs = meta.getTables(c.getCatalog(), null, name, null)) {
        exists |= rs.next();
      }
    }
    if (!exists) {
      return null;
    }
    String highest = null;
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT version FROM SERVER_CHANGE_LOG")) {
      while (rs.next()) {
        String v = rs.getString(1);
        if (v.matches("\\d+\\.\\d+\\.\\d+") && (highest == null || compare(v, highest) > 0)) {
          highest = v;
        }
      }
    }
    return highest;
  }

  /** Compares plain x.y.z versions as numbers. */
  public static int compare(String a, String b) {
    int[] x = Arrays.stream(a.split("\\.")).mapToInt(Integer::parseInt).toArray();
    int[] y = Arrays.stream(b.split("\\.")).mapToInt(Integer::parseInt).toArray();
    return Arrays.compare(x, y);
  }
}
