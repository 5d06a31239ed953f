package io.metadataops.backup.testing;

import io.metadataops.backup.common.ConnectionSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Real database servers for the database tier. Runs hack/db/up.sh once per JVM when a server is not
 * reachable (it installs and starts them), and FAILS the test with the script's output when that
 * does not work: no silent skipping. Tests get fresh databases from {@link Databases}, which are
 * dropped after each test.
 */
public final class DatabaseServers
    implements BeforeAllCallback, AfterEachCallback, ParameterResolver {

  private static volatile boolean started;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    ensureStarted();
  }

  public static synchronized void ensureStarted() throws IOException, InterruptedException {
    if (started) {
      return;
    }
    if (Arrays.stream(DbServer.values()).allMatch(s -> reachable(s.port()))) {
      started = true;
      return;
    }
    Path script = Path.of("hack/db/up.sh").toAbsolutePath();
    Path log = Files.createTempFile("metadataops-db-up", ".log");
    Process process =
        new ProcessBuilder("bash", script.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!process.waitFor(20, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("hack/db/up.sh did not finish in 20 minutes; log: " + log);
    }
    List<String> down = new ArrayList<>();
    for (DbServer server : DbServer.values()) {
      if (!reachable(server.port())) {
        down.add(server + " (127.0.0.1:" + server.port() + ")");
      }
    }
    if (process.exitValue() != 0 || !down.isEmpty()) {
      throw new AssertionError(
          "database servers could not be started (exit "
              + process.exitValue()
              + ", unreachable: "
              + down
              + "). Output of hack/db/up.sh:\n"
              + Files.readString(log));
    }
    started = true;
  }

  static boolean reachable(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Databases databases =
        context.getStore(ExtensionContext.Namespace.GLOBAL).get(Databases.class, Databases.class);
    if (databases != null) {
      databases.dropAll();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Databases.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(Databases.class, k -> new Databases(), Databases.class);
  }

  /** Hands out fresh, empty databases and drops them after the test. */
  public static final class Databases {
    private final List<Object[]> created = new ArrayList<>();

    /** A new empty database (PostgreSQL: a new database, schema public). */
    public synchronized ConnectionSpec fresh(DbServer server) {
      String name = "mo_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      try (Connection admin = admin(server);
          Statement st = admin.createStatement()) {
        st.execute("CREATE DATABASE " + name);
      } catch (SQLException e) {
        throw new AssertionError("cannot create test database on " + server + ": " + e, e);
      }
      created.add(new Object[] {server, name});
      return spec(server, name);
    }

    /** A name for a database the test lets the engine create; dropped afterwards too. */
    public synchronized String unusedName(DbServer server) {
      String name = "mo_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      created.add(new Object[] {server, name});
      return name;
    }

    public static ConnectionSpec spec(DbServer server, String database) {
      return ConnectionSpec.of(
          server.scheme(), "127.0.0.1", server.port(), DbServer.USER, DbServer.PASSWORD, database);
    }

    synchronized void dropAll() {
      for (Object[] entry : created) {
        DbServer server = (DbServer) entry[0];
        try (Connection admin = admin(server);
            Statement st = admin.createStatement()) {
          st.execute(
              "DROP DATABASE IF EXISTS "
                  + entry[1]
                  + (server == DbServer.POSTGRES ? " WITH (FORCE)" : ""));
        } catch (SQLException e) {
          // leftovers are harmless: names are random
        }
      }
      created.clear();
    }

    private static Connection admin(DbServer server) throws SQLException {
      String url =
          server == DbServer.POSTGRES
              ? "jdbc:postgresql://127.0.0.1:" + server.port() + "/postgres"
              : "jdbc:mysql://127.0.0.1:" + server.port() + "/";
      return DriverManager.getConnection(url, DbServer.USER, DbServer.PASSWORD);
    }
  }

  public static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
