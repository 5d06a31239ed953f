package io.metadataops.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.metadataops.backup.common.ConnectionSpec;
import io.metadataops.backup.common.Progress;
import io.metadataops.backup.sql.PostgresDialect;
import io.metadataops.backup.storage.S3Settings;
import io.metadataops.backup.testing.DatabaseServers;
import io.metadataops.backup.testing.DatabaseServers.Databases;
import io.metadataops.backup.testing.DbServer;
import io.metadataops.backup.testing.Fixtures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A writer moves money between two tables in one transaction while the backup runs; a torn backup
 * (tables read at different moments) would change the total.
 */
@Tag("database")
@ExtendWith(DatabaseServers.class)
class ConsistentSnapshotTest {

  private static final int ACCOUNTS = 100;
  private static final long TOTAL = ACCOUNTS * 2 * 1000L;

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(DbServer.class)
  void backupTakenDuringWritesIsOneSnapshot(DbServer server, Databases databases) throws Exception {
    ConnectionSpec source = databases.fresh(server);
    try (Connection c = Fixtures.connect(source);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE a_account (id INT PRIMARY KEY, balance BIGINT NOT NULL)");
      // Between the two account tables in dump order: keeps the backup busy for a while.
      st.execute("CREATE TABLE m_filler (id INT PRIMARY KEY, payload VARCHAR(200))");
      st.execute("CREATE TABLE z_account (id INT PRIMARY KEY, balance BIGINT NOT NULL)");
      for (String table : new String[] {"a_account", "z_account"}) {
        StringBuilder sql = new StringBuilder("INSERT INTO " + table + " VALUES ");
        for (int i = 0; i < ACCOUNTS; i++) {
          sql.append(i == 0 ? "" : ",").append("(").append(i).append(", 1000)");
        }
        st.execute(sql.toString());
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO m_filler VALUES (?, ?)")) {
        for (int i = 0; i < 200_000; i++) {
          ps.setInt(1, i);
          ps.setString(2, "filler row " + i + " ".repeat(100));
          ps.addBatch();
          if (i % 10_000 == 9_999) {
            ps.executeBatch();
          }
        }
      }
    }

    AtomicLong transfers = new AtomicLong();
    AtomicReference<Throwable> writerError = new AtomicReference<>();
    Thread writer = new Thread(() -> transfer(source, transfers, writerError), "writer");
    writer.start();
    try {
      while (transfers.get() < 20) {
        Thread.sleep(10);
      }
      long before = transfers.get();
      Path dump = dir.resolve("snapshot.sql.gz");
      // PostgreSQL: every table is read over two connections sharing the snapshot.
      System.setProperty(PostgresDialect.PARALLEL_TABLE_BYTES_PROPERTY, "0");
      try {
        new BackupEngine(S3Settings.defaults(), Progress.none())
            .backup(source, BackupOptions.to(dump.toString()));
      } finally {
        System.clearProperty(PostgresDialect.PARALLEL_TABLE_BYTES_PROPERTY);
      }
      long during = transfers.get() - before;
      assertThat(during).as("writer committed transfers while the backup ran").isPositive();

      ConnectionSpec target = databases.fresh(server);
      new BackupEngine(S3Settings.defaults(), Progress.none())
          .restore(target, RestoreOptions.from(dump.toString()));
      try (Connection c = Fixtures.connect(target);
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT (SELECT SUM(balance) FROM a_account) + (SELECT SUM(balance) FROM"
                      + " z_account)")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(TOTAL);
      }
    } finally {
      writer.interrupt();
      writer.join();
    }
    assertThat(writerError.get()).isNull();
  }

  private static void transfer(
      ConnectionSpec spec, AtomicLong transfers, AtomicReference<Throwable> error) {
    try (Connection c = Fixtures.connect(spec)) {
      c.setAutoCommit(false);
      try (PreparedStatement out =
              c.prepareStatement("UPDATE a_account SET balance = balance - ? WHERE id = ?");
          PreparedStatement in =
              c.prepareStatement("UPDATE z_account SET balance = balance + ? WHERE id = ?")) {
        while (!Thread.currentThread().isInterrupted()) {
          int amount = ThreadLocalRandom.current().nextInt(1, 50);
          out.setInt(1, amount);
          out.setInt(2, ThreadLocalRandom.current().nextInt(ACCOUNTS));
          out.executeUpdate();
          in.setInt(1, amount);
          in.setInt(2, ThreadLocalRandom.current().nextInt(ACCOUNTS));
          in.executeUpdate();
          c.commit();
          transfers.incrementAndGet();
        }
      }
    } catch (Throwable t) {
      if (!Thread.currentThread().isInterrupted()) {
        error.set(t);
      }
    }
  }
}
