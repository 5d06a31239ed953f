package io.metadataops.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.metadataops.backup.common.EngineException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ConnectionsTest {

  /** Connections that count how many were opened and closed. */
  private static final class Counting {
    final AtomicInteger opened = new AtomicInteger();
    final CountDownLatch closed;

    Counting(int expectedCloses) {
      closed = new CountDownLatch(expectedCloses);
    }

    Connection open() {
      opened.incrementAndGet();
      return (Connection)
          Proxy.newProxyInstance(
              Connection.class.getClassLoader(),
              new Class<?>[] {Connection.class},
              (proxy, method, args) ->
                  switch (method.getName()) {
                    case "close" -> {
                      closed.countDown();
                      yield null;
                    }
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "toString" -> "test connection";
                    default -> throw new UnsupportedOperationException(method.getName());
                  });
    }
  }

  /** Opener code may only throw SQLException. */
  private static void await(CountDownLatch latch) throws SQLException {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new SQLException("timed out waiting for the other attempts");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException(e);
    }
  }

  private static void pause() throws SQLException {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException(e);
    }
  }

  @Test
  void opensAllAtOnce() throws Exception {
    int count = 4;
    CountDownLatch allOpening = new CountDownLatch(count);
    Counting connections = new Counting(0);
    List<Connection> opened =
        Connections.openAll(
            () -> {
              allOpening.countDown();
              // Returns only once every attempt has started: they run at the same time.
              await(allOpening);
              return connections.open();
            },
            count);
    assertThat(opened).hasSize(count).doesNotHaveDuplicates();
    assertThat(connections.opened).hasValue(count);
  }

  @Test
  void aFailureClosesTheOthersEvenThoseStillOpening() throws Exception {
    Counting connections = new Counting(2);
    CountDownLatch failed = new CountDownLatch(1);
    AtomicInteger attempt = new AtomicInteger();
    assertThatThrownBy(
            () ->
                Connections.openAll(
                    () -> {
                      switch (attempt.getAndIncrement()) {
                        case 0:
                          return connections.open();
                        case 1:
                          failed.countDown();
                          throw new SQLException("password authentication failed", "28P01");
                        default:
                          // Still opening when the failure is reported.
                          await(failed);
                          pause();
                          return connections.open();
                      }
                    },
                    3))
        .isInstanceOf(SQLException.class)
        .hasMessage("password authentication failed");
    assertThat(connections.closed.await(10, TimeUnit.SECONDS))
        .as("both opened connections closed")
        .isTrue();
  }

  @Test
  void anInterruptedCallerLeavesNoConnectionOpen() throws Exception {
    Counting connections = new Counting(2);
    CountDownLatch opening = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                Connections.openAll(
                    () -> {
                      opening.countDown();
                      await(release);
                      return connections.open();
                    },
                    2);
              } catch (Throwable t) {
                thrown.set(t);
              }
              stillInterrupted.set(Thread.currentThread().isInterrupted());
            });
    caller.start();
    assertThat(opening.await(10, TimeUnit.SECONDS)).isTrue();
    caller.interrupt();
    caller.join(10_000);
    assertThat(caller.isAlive()).isFalse();
    assertThat(thrown.get())
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("opening connections failed");
    assertThat(stillInterrupted.get()).isTrue();
    // The attempts finish after the caller gave up: their connections are closed, not leaked.
    release.countDown();
    assertThat(connections.closed.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(connections.opened).hasValue(2);
  }
}
