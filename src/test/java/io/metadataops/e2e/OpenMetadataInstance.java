package io.metadataops.e2e;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.metadataops.e2e.standin.StandInOpenMetadata;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * One OpenMetadata installation of a scenario: its own database on the {@code kind} server, created
 * and brought to a version by the stand-in server's own migration (as a first install would be),
 * and the stand-in server Deployment and Service in front of it. The checks read the database
 * directly, from the test JVM.
 */
public final class OpenMetadataInstance {

  private static final Map<String, String> ORDER =
      Map.of(
          "SERVER_CHANGE_LOG", "installed_rank",
          "table_entity", "id",
          "entity_relationship", "fromId, toId, relation");

  private final E2eCluster cluster;
  private final DatabaseKind kind;
  private final String name;
  private final String database;

  private OpenMetadataInstance(E2eCluster cluster, DatabaseKind kind, String name) {
    this.cluster = cluster;
    this.kind = kind;
    this.name = name;
    // Unique on the server: the local servers are shared by every run on this machine.
    this.database =
        ("om_" + name + "_" + UUID.randomUUID().toString().substring(0, 6))
            .replace('-', '_')
            .toLowerCase(Locale.ROOT);
  }

  /**
   * Creates the database, installs the schema and data of {@code version}, deploys the server with
   * {@code replicas} and waits until it is rolled out (its pods are Ready only while the database
   * is at their version).
   */
  public static OpenMetadataInstance install(
      E2eCluster cluster, DatabaseKind kind, String name, String version, int replicas)
      throws SQLException {
    return install(cluster, kind, name, version, replicas, E2eManifests::openMetadataServer);
  }

  /** {@link #install} with the server's objects of {@code shape}. */
  public static OpenMetadataInstance install(
      E2eCluster cluster,
      DatabaseKind kind,
      String name,
      String version,
      int replicas,
      E2eManifests.ServerShape shape)
      throws SQLException {
    OpenMetadataInstance instance = seed(cluster, kind, name, version);
    E2eSetup.apply(cluster.namespace(), instance.serverManifests(version, replicas, shape));
    E2eSetup.awaitRolledOut(cluster.namespace(), name, cluster.timeout());
    return instance;
  }

  /** Creates the database with the schema and data of {@code version}; deploys nothing. */
  public static OpenMetadataInstance seed(
      E2eCluster cluster, DatabaseKind kind, String name, String version) throws SQLException {
    OpenMetadataInstance instance = new OpenMetadataInstance(cluster, kind, name);
    try (Connection admin = instance.connect(kind.adminDatabase());
        Statement st = admin.createStatement()) {
      st.execute("CREATE DATABASE " + instance.database);
    }
    StandInOpenMetadata.Outcome seeded = StandInOpenMetadata.migrate(instance.testEnv(), version);
    if (seeded.exitCode() != 0) {
      throw new IllegalStateException("seeding " + instance.database + ": " + seeded.message());
    }
    return instance;
  }

  /** The server's objects of {@code shape} at {@code version}, for this instance's database. */
  public List<HasMetadata> serverManifests(
      String version, int replicas, E2eManifests.ServerShape shape) {
    return shape.objects(name, version, replicas, kind, cluster.databaseForPods(kind), database);
  }

  public String name() {
    return name;
  }

  public DatabaseKind kind() {
    return kind;
  }

  public String database() {
    return database;
  }

  /** The {@code engine://host:port/database} the operator reports for this database. */
  public String databaseUrl() {
    DatabaseAddress address = cluster.databaseForPods(kind);
    return "%s://%s:%d/%s".formatted(kind.scheme(), address.host(), address.port(), database);
  }

  public Deployment deployment() {
    return cluster
        .namespace()
        .client()
        .apps()
        .deployments()
        .inNamespace(cluster.namespace().name())
        .withName(name)
        .get();
  }

  /** The image of the server container now. */
  public String image() {
    return deployment().getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  /** OpenMetadata's DB_* settings as this test JVM reaches the database. */
  public Map<String, String> testEnv() {
    DatabaseAddress address = cluster.databaseForTests(kind);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("DB_SCHEME", kind.scheme());
    env.put("DB_HOST", address.host());
    env.put("DB_PORT", String.valueOf(address.port()));
    env.put("DB_USER", E2eManifests.USER);
    env.put("DB_USER_PASSWORD", E2eManifests.PASSWORD);
    env.put("OM_DATABASE", database);
    env.put("DB_PARAMS", kind.params());
    return env;
  }

  /** The schema version SERVER_CHANGE_LOG records. */
  public String schemaVersion() throws SQLException {
    try (Connection c = StandInOpenMetadata.connect(testEnv())) {
      return StandInOpenMetadata.schemaVersion(c);
    }
  }

  /** Per table: row count and a SHA-256 of every value, in key order. */
  public Map<String, String> fingerprint() throws SQLException {
    return fingerprint("");
  }

  /** {@link #fingerprint} of everything but the entities an {@link E2eWriter} created. */
  public Map<String, String> fingerprintWithoutWrites() throws SQLException {
    return fingerprint(" WHERE name NOT LIKE '" + E2eWriter.NAME_PREFIX + "%'");
  }

  private Map<String, String> fingerprint(String entityFilter) throws SQLException {
    Map<String, String> tables = new LinkedHashMap<>();
    try (Connection c = StandInOpenMetadata.connect(testEnv());
        Statement st = c.createStatement()) {
      for (Map.Entry<String, String> table : ORDER.entrySet()) {
        MessageDigest digest = sha256();
        long rows = 0;
        String filter = table.getKey().equals("table_entity") ? entityFilter : "";
        try (ResultSet rs =
            st.executeQuery(
                "SELECT * FROM " + table.getKey() + filter + " ORDER BY " + table.getValue())) {
          int columns = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            rows++;
            for (int i = 1; i <= columns; i++) {
              digest.update(String.valueOf(rs.getString(i)).getBytes(StandardCharsets.UTF_8));
              digest.update((byte) 0);
            }
          }
        }
        tables.put(table.getKey(), rows + " rows " + HexFormat.of().formatHex(digest.digest()));
      }
    }
    return tables;
  }

  /** How many of the entities {@code ids} are in the database. */
  public int present(List<String> ids) throws SQLException {
    if (ids.isEmpty()) {
      return 0;
    }
    String in = String.join(",", Collections.nCopies(ids.size(), "?"));
    try (Connection c = StandInOpenMetadata.connect(testEnv());
        PreparedStatement ps =
            c.prepareStatement("SELECT COUNT(*) FROM table_entity WHERE id IN (" + in + ")")) {
      for (int i = 0; i < ids.size(); i++) {
        ps.setString(i + 1, ids.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /** Entity rows in the database. */
  public int entities() throws SQLException {
    try (Connection c = StandInOpenMetadata.connect(testEnv());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM table_entity")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** SERVER_CHANGE_LOG as version and status (2.x), in the order applied. */
  public List<String> changeLog() throws SQLException {
    try (Connection c = StandInOpenMetadata.connect(testEnv())) {
      return StandInOpenMetadata.changeLog(c);
    }
  }

  /** Entity rows that the stand-in migration to {@code version} has changed. */
  public int rowsMigratedTo(String version) throws SQLException {
    String query =
        kind == DatabaseKind.POSTGRESQL
            ? "SELECT COUNT(*) FROM table_entity WHERE json ->> 'migratedTo' = '" + version + "'"
            : "SELECT COUNT(*) FROM table_entity WHERE json ->> '$.migratedTo' = '" + version + "'";
    try (Connection c = StandInOpenMetadata.connect(testEnv());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(query)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** What a bad day does to the data: entities edited, relationships lost. */
  public void damage() throws SQLException {
    try (Connection c = StandInOpenMetadata.connect(testEnv());
        Statement st = c.createStatement()) {
      st.executeUpdate("DELETE FROM entity_relationship");
      st.executeUpdate("DELETE FROM table_entity WHERE name = 'table_1'");
    }
  }

  /** Drops the database (the local servers outlive the test). */
  public void drop() throws SQLException {
    try (Connection admin = connect(kind.adminDatabase());
        Statement st = admin.createStatement()) {
      st.execute(
          "DROP DATABASE IF EXISTS "
              + database
              + (kind == DatabaseKind.POSTGRESQL ? " WITH (FORCE)" : ""));
    }
  }

  private Connection connect(String databaseName) throws SQLException {
    Map<String, String> env = testEnv();
    env.put("OM_DATABASE", databaseName);
    return StandInOpenMetadata.connect(env);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
