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
import java.util.UUID;
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
 *       is its own (503 otherwise: the real server refuses to run with pending migrations). {@code
 *       POST /api/v1/tables} creates a table entity (a row of {@code table_entity}) and answers 201
 *       with its id only once the row is committed: an acknowledged write. With {@link
 *       #FAIL_START}{@code =true} in its environment it exits 1 at once, as a server whose settings
 *       its release refuses does: its pods never become ready.
 *   <li>{@code [-d] migrate [--force]} (what {@code ./bootstrap/openmetadata-ops.sh migrate} and
 *       the chart's init container run): on an empty database, creates an OpenMetadata-like schema
 *       with data at its version, as a first install does; on an older one, migrates every entity
 *       row (a JSON change) and records its version in {@code SERVER_CHANGE_LOG}; crossing 1.5 it
 *       also turns an entity's {@code owner} into {@code owners}, as OpenMetadata 1.5's data
 *       migration does. From 2.0 the change log has a {@code status} column: a migration's row is
 *       STARTED before it runs, then COMPLETED, or FAILED when it fails; 2.1 and later refuse a
 *       database below 2.0.0, {@code --force} included. The tag {@link #BROKEN_MIGRATION} fails
 *       halfway (so does any tag with {@link #FAIL_MIGRATION}{@code =true} in the environment): it
 *       changes half of the rows and exits 1, leaving a half-migrated database as a real failed
 *       migration does. The tag {@link #UNFINISHED_MIGRATION} logs the error of its last step and
 *       exits 0 with its row left STARTED, as upstream's search-index step does with its errors.
 *       {@code --force} re-runs the migration of its own version on a database already at it and
 *       swallows errors (exit 0), as upstream's does.
 *   <li>{@code repair}: deletes the change-log rows that are not COMPLETED (2.x; a 1.x change log
 *       has nothing to repair).
 *   <li>{@code reindex} (what {@code ./bootstrap/openmetadata-ops.sh reindex} runs): refuses a
 *       database whose schema is not its own version, then recreates the search index of the
 *       server's settings ({@code ELASTICSEARCH_SCHEME}, {@code ELASTICSEARCH_HOST}, {@code
 *       ELASTICSEARCH_PORT}) and bulk-indexes every entity row into it, over the Elasticsearch REST
 *       API; exit 1 when the search engine cannot be reached or refuses.
 * </ul>
 *
 * Exit codes are upstream's: 0 done, 1 failed, 2 a usage error.
 *
 * <p>The database comes from OpenMetadata's own environment variables ({@code DB_SCHEME}, {@code
 * DB_HOST}, {@code DB_PORT}, {@code DB_USER}, {@code DB_USER_PASSWORD}, {@code OM_DATABASE}, {@code
 * DB_PARAMS}).
 */
public final class StandInOpenMetadata {

  /** The release whose stand-in migration always fails halfway. */
  public static final String BROKEN_MIGRATION = "1.6.4";

  /** The release whose stand-in migration exits 0 but leaves its change-log row STARTED. */
  public static final String UNFINISHED_MIGRATION = "2.0.7";

  /** The first release whose change log has a {@code status} column. */
  static final String STATUS_SINCE = "2.0.0";

  /** Releases from this one on refuse a database below {@link #STATUS_SINCE}. */
  static final String STOP_BEFORE = "2.1.0";

  /** The 2.x column: a migration's row is STARTED before it runs, then COMPLETED or FAILED. */
  private static final String STATUS_COLUMN = "status VARCHAR(16) NOT NULL DEFAULT 'COMPLETED'";

  /** Where the server creates table entities; answers 201 with the entity once committed. */
  public static final String TABLES_PATH = "/api/v1/tables";

  /** Entity rows a first install creates. */
  public static final int ENTITIES = 40;

  /**
   * Set to {@code true} in the server's environment (which migration Jobs copy), the migration
   * fails halfway at any version, as {@link #BROKEN_MIGRATION}'s always does: the demo's rollback.
   */
  public static final String FAIL_MIGRATION = "OPENMETADATA_STANDIN_FAIL_MIGRATION";

  /**
   * Set to {@code true} in the server's environment, {@code serve} exits 1 at start (migrations are
   * not affected): a rollout that fails after the migration.
   */
  public static final String FAIL_START = "OPENMETADATA_STANDIN_FAIL_START";

  /** The release whose data migration turns an entity's {@code owner} into {@code owners}. */
  static final String OWNERS_SINCE = "1.5.0";

  private static final ObjectMapper JSON = new ObjectMapper();

  public static final String VERSION_PATH = "/api/v1/system/version";
  public static final int PORT = 8585;

  private StandInOpenMetadata() {}

  public static void main(String[] args) throws Exception {
    String version = System.getenv("OPENMETADATA_VERSION");
    List<String> words = new ArrayList<>(Arrays.asList(args));
    words.remove("-d"); // debug logging: the stand-in has nothing more to say
    if (version == null || version.isBlank() || words.isEmpty()) {
      System.err.println(
          "usage: OPENMETADATA_VERSION=x.y.z StandInOpenMetadata serve|[-d] migrate [--force]"
              + "|repair|reindex");
      System.exit(2);
    }
    Map<String, String> env = System.getenv();
    String command = words.remove(0);
    Outcome outcome =
        switch (command) {
          case "migrate" -> migrate(env, version, words.remove("--force"));
          case "repair" -> repair(env);
          case "reindex" -> reindex(env, version);
          case "serve" -> {
            if ("true".equalsIgnoreCase(env.get(FAIL_START))) {
              yield new Outcome(
                  1,
                  "stand-in OpenMetadata "
                      + version
                      + " cannot start: its settings are refused ("
                      + FAIL_START
                      + "=true)");
            }
            serve(new InetSocketAddress(PORT), version, env);
            System.out.println("stand-in OpenMetadata " + version + " listening on :" + PORT);
            Thread.currentThread().join();
            yield new Outcome(0, "stopped");
          }
          default -> new Outcome(2, "unknown command " + command);
        };
    (outcome.exitCode() == 0 ? System.out : System.err).println(outcome.message());
    System.exit(outcome.exitCode());
  }

  /** The result of a command: exit code and the message a pod would report. */
  public record Outcome(int exitCode, String message) {}

  // ---- serve --------------------------------------------------------------------------------

  /** Starts the HTTP server (port 0: any free port); stop it with {@link HttpServer#stop}. */
  public static HttpServer serve(InetSocketAddress address, String version, Map<String, String> env)
      throws IOException {
    HttpServer server = HttpServer.create(address, 16);
    server.createContext(VERSION_PATH, exchange -> answer(exchange, version, env, false));
    server.createContext(TABLES_PATH, exchange -> answer(exchange, version, env, true));
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
    return server;
  }

  private static void answer(
      HttpExchange exchange, String version, Map<String, String> env, boolean write)
      throws IOException {
    int code;
    String body;
    try (Connection c = connect(env)) {
      String schema = schemaVersion(c);
      if (!version.equals(schema)) {
        code = 503;
        body =
            "{\"code\":503,\"message\":\"the database schema is %s, this server is %s: %s\"}"
                .formatted(
                    schema,
                    version,
                    schema == null || compare(schema, version) < 0
                        ? "there are pending migrations"
                        : "the database is newer than this server");
      } else if (!write) {
        code = 200;
        body =
            "{\"version\":\"%s\",\"revision\":\"stand-in\",\"timestamp\":%d}"
                .formatted(version, System.currentTimeMillis());
      } else if (!"POST".equals(exchange.getRequestMethod())) {
        code = 405;
        body = "{\"code\":405,\"message\":\"POST a table to create it\"}";
      } else {
        ObjectNode table =
            createTable(c, isPostgres(env), exchange.getRequestBody().readAllBytes());
        code = 201;
        body = table.toString();
      }
    } catch (SQLException e) {
      code = 503;
      body = "{\"code\":503,\"message\":\"database unreachable\"}";
    } catch (IOException | ClassCastException e) {
      code = 400;
      body = "{\"code\":400,\"message\":\"the body is not a JSON object\"}";
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /**
   * Inserts the table entity of {@code request} ({@code name}, {@code databaseSchema}, anything
   * else kept as given) with a new id, and returns it once committed.
   */
  private static ObjectNode createTable(Connection c, boolean postgres, byte[] request)
      throws IOException, SQLException {
    ObjectNode table = (ObjectNode) JSON.readTree(request);
    String id = UUID.randomUUID().toString();
    String fqn =
        table.path("databaseSchema").asText("default.default.default")
            + "."
            + table.path("name").asText(id);
    table.put("id", id);
    table.put("fullyQualifiedName", fqn);
    table.remove("databaseSchema");
    c.setAutoCommit(false);
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO table_entity (id, json, fqnHash) VALUES (?, "
                + (postgres ? "?::jsonb" : "?")
                + ", ?)")) {
      ps.setString(1, id);
      ps.setString(2, table.toString());
      ps.setString(3, fqnHash(fqn));
      ps.executeUpdate();
      c.commit();
    }
    return table;
  }

  // ---- migrate, repair, reindex -------------------------------------------------------------

  /** Brings the database to {@code version}, without {@code --force}. */
  public static Outcome migrate(Map<String, String> env, String version) {
    return migrate(env, version, false);
  }

  /** Brings the database to {@code version}; see the class comment. Never throws. */
  public static Outcome migrate(Map<String, String> env, String version, boolean force) {
    try (Connection c = connect(env)) {
      boolean postgres = isPostgres(env);
      String current = schemaVersion(c);
      if (current == null) {
        createSchema(c, postgres, version);
        return new Outcome(0, "Created the schema of " + version + " with " + ENTITIES + " rows.");
      }
      if (compare(version, STOP_BEFORE) >= 0 && compare(current, STATUS_SINCE) < 0) {
        return new Outcome(
            1,
            "The database is at %s: %s and later migrate only databases at %s or later; run the"
                    .formatted(current, STOP_BEFORE, STATUS_SINCE)
                + " migrations of a 2.0.x release first.");
      }
      int order = compare(current, version);
      if (order > 0 || (order == 0 && !force)) {
        return new Outcome(0, "The database is at " + current + ": nothing to migrate.");
      }
      Outcome outcome = migrateEntities(c, postgres, current, version, env);
      return force && outcome.exitCode() != 0
          ? new Outcome(0, outcome.message() + " Ignored (--force).")
          : outcome;
    } catch (SQLException e) {
      return new Outcome(1, "Migration to " + version + " failed: " + e.getMessage());
    }
  }

  private static Outcome migrateEntities(
      Connection c, boolean postgres, String current, String version, Map<String, String> env)
      throws SQLException {
    boolean statuses = compare(version, STATUS_SINCE) >= 0;
    if (statuses) {
      addStatusColumn(c);
      recordVersion(c, version, "STARTED");
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
      if (statuses) {
        setStatus(c, version, "FAILED");
      }
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
    if (UNFINISHED_MIGRATION.equals(version)) {
      return new Outcome(
          0,
          "Migrated from %s to %s: %d rows%s. ERROR in the last step of %s (logged and ignored):"
                  .formatted(current, version, ids.size(), done, version)
              + " its change-log row stays STARTED.");
    }
    if (statuses) {
      setStatus(c, version, "COMPLETED");
    } else {
      recordVersion(c, version, null);
    }
    return new Outcome(
        0, "Migrated from %s to %s: %d rows%s.".formatted(current, version, ids.size(), done));
  }

  /** 2.x: deletes the change-log rows a failed or interrupted migration left unfinished. */
  public static Outcome repair(Map<String, String> env) {
    try (Connection c = connect(env)) {
      if (!hasStatusColumn(c)) {
        return new Outcome(0, "The change log has no status column: nothing to repair.");
      }
      try (Statement st = c.createStatement()) {
        int cleared = st.executeUpdate("DELETE FROM SERVER_CHANGE_LOG WHERE status <> 'COMPLETED'");
        return new Outcome(0, "Cleared " + cleared + " unfinished change-log row(s).");
      }
    } catch (SQLException e) {
      return new Outcome(1, "Repair failed: " + e.getMessage());
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
    boolean statuses = compare(version, STATUS_SINCE) >= 0;
    String status = statuses ? ", " + STATUS_COLUMN : "";
    try (Statement st = c.createStatement()) {
      if (postgres) {
        st.execute(
            "CREATE TABLE SERVER_CHANGE_LOG (installed_rank SERIAL PRIMARY KEY,"
                + " version VARCHAR(256) NOT NULL, migrationFileName VARCHAR(256) NOT NULL,"
                + " checksum VARCHAR(256) NOT NULL, installed_on TIMESTAMP NOT NULL DEFAULT now()"
                + status
                + ")");
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
                + " installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP"
                + status
                + ")");
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
        entities.setString(3, fqnHash(fqn));
        entities.executeUpdate();
        if (i > 0) {
          relations.setString(1, "00000000-0000-0000-0000-%012d".formatted(0));
          relations.setString(2, id);
          relations.executeUpdate();
        }
      }
    }
    recordVersion(c, version, statuses ? "COMPLETED" : null);
  }

  /** Crossing into 2.x: the rows of earlier migrations count as COMPLETED. */
  private static void addStatusColumn(Connection c) throws SQLException {
    if (!hasStatusColumn(c)) {
      try (Statement st = c.createStatement()) {
        st.execute("ALTER TABLE SERVER_CHANGE_LOG ADD COLUMN " + STATUS_COLUMN);
      }
    }
  }

  /**
   * The row of {@code version}, replacing one a forced re-run finds (the version is the change
   * log's key upstream); {@code status} null: a 1.x change log, which has no such column.
   */
  private static void recordVersion(Connection c, String version, String status)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM SERVER_CHANGE_LOG WHERE version = ?")) {
      ps.setString(1, version);
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO SERVER_CHANGE_LOG (version, migrationFileName, checksum"
                + (status == null ? ") VALUES (?, ?, ?)" : ", status) VALUES (?, ?, ?, ?)"))) {
      ps.setString(1, version);
      ps.setString(2, "bootstrap/sql/migrations/native/" + version + "/schemaChanges.sql");
      ps.setString(3, Integer.toHexString(version.hashCode()));
      if (status != null) {
        ps.setString(4, status);
      }
      ps.executeUpdate();
    }
  }

  private static void setStatus(Connection c, String version, String status) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE SERVER_CHANGE_LOG SET status = ? WHERE version = ? AND status = 'STARTED'")) {
      ps.setString(1, status);
      ps.setString(2, version);
      ps.executeUpdate();
    }
  }

  private static String fqnHash(String fqn) {
    return Integer.toHexString(fqn.hashCode());
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

  /**
   * The highest plain x.y.z in SERVER_CHANGE_LOG (on 2.x: of the COMPLETED rows), null when there
   * is no such table.
   */
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
    String completed = hasStatusColumn(c) ? " WHERE status = 'COMPLETED'" : "";
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT version FROM SERVER_CHANGE_LOG" + completed)) {
      while (rs.next()) {
        String v = rs.getString(1);
        if (v.matches("\\d+\\.\\d+\\.\\d+") && (highest == null || compare(v, highest) > 0)) {
          highest = v;
        }
      }
    }
    return highest;
  }

  /** The change-log rows as version and status (null before 2.x), in the order applied. */
  public static List<String> changeLog(Connection c) throws SQLException {
    boolean statuses = hasStatusColumn(c);
    List<String> rows = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT version, "
                    + (statuses ? "status" : "NULL")
                    + " FROM SERVER_CHANGE_LOG ORDER BY installed_rank")) {
      while (rs.next()) {
        rows.add(rs.getString(1) + (statuses ? " " + rs.getString(2) : ""));
      }
    }
    return rows;
  }

  private static boolean hasStatusColumn(Connection c) throws SQLException {
    DatabaseMetaData meta = c.getMetaData();
    for (String table : List.of("SERVER_CHANGE_LOG", "server_change_log")) {
      try (ResultSet rs = meta.getColumns(c.getCatalog(), null, table, "status")) {
        if (rs.next()) {
          return true;
        }
      }
    }
    return false;
  }

  /** Compares plain x.y.z versions as numbers. */
  public static int compare(String a, String b) {
    int[] x = Arrays.stream(a.split("\\.")).mapToInt(Integer::parseInt).toArray();
    int[] y = Arrays.stream(b.split("\\.")).mapToInt(Integer::parseInt).toArray();
    return Arrays.compare(x, y);
  }
}
