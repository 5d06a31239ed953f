package io.metadataops.backup.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class StageTest {

  private static final Duration LIMIT = Duration.ofSeconds(20);

  private final List<Stage<?>> stages = new ArrayList<>();

  private <X extends Exception> Stage<X> stage(String name, Class<X> failureType) {
    Stage<X> stage = new Stage<>(name, failureType);
    stages.add(stage);
    return stage;
  }

  @AfterEach
  void noThreadOutlivesItsStage() {
    stages.forEach(Stage::close);
    assertThat(liveThreadsNamed("stage-test")).isEmpty();
  }

  @Test
  void itemsReachTheWorkerInOrderAndEndEndsIt() {
    assertTimeoutPreemptively(
        LIMIT,
        () -> {
          Stage<IOException> stage = stage("stage-test", IOException.class);
          Stage<IOException>.Lane<Integer> lane = stage.lane(3);
          List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
          stage.start(
              worker -> {
                Integer item;
                while ((item = lane.take()) != null) {
                  seen.add(item);
                }
              });
          List<Integer> sent = new ArrayList<>();
          for (int i = 0; i < 10_000; i++) {
            lane.put(i);
            sent.add(i);
          }
          lane.end();
          stage.join();
          assertThat(seen).isEqualTo(sent);
        });
  }

  @Test
  void itemsReachTheCallerInOrderFromAWorkerThatProducesThem() {
    assertTimeoutPreemptively(
        LIMIT,
        () -> {
          Stage<IOException> stage = stage("stage-test", IOException.class);
          Stage<IOException>.Lane<Integer> lane = stage.lane(2);
          stage.start(
              worker -> {
                for (int i = 0; i < 5_000; i++) {
                  lane.put(i);
                }
                lane.end();
              });
          List<Integer> seen = new ArrayList<>();
          Integer item;
          while ((item = lane.take()) != null) {
            seen.add(item);
          }
          stage.join();
          assertThat(seen).hasSize(5_000).isSorted();
          assertThat(lane.take()).isNull();
        });
  }

  @Test
  void aLaneOfSeveralWritersEndsWhenTheyAllEnded() {
    assertTimeoutPreemptively(
        LIMIT,
        () -> {
          Stage<IOException> stage = stage("stage-test", IOException.class);
          Stage<IOException>.Lane<Integer> lane = stage.lane(4, 3);
          stage.start(
              3,
              worker -> {
                for (int i = 0; i < 1_000; i++) {
                  lane.put(worker * 1_000 + i);
                }
                lane.end();
              });
          List<Integer> seen = new ArrayList<>();
          Integer item;
          while ((item = lane.take()) != null) {
            seen.add(item);
          }
          stage.join();
          assertThat(seen).hasSize(3_000).doesNotHaveDuplicates();
          // Each writer's items keep their order.
          for (int w = 0; w < 3; w++) {
            int writer = w;
            assertThat(seen.stream().filter(i -> i / 1_000 == writer).toList()).isSorted();
          }
        });
  }

  @Test
  void aFailureInTheWorkerReachesTheProducerBlockedOnAFullLane() {
    assertTimeoutPreemptively(
        LIMIT,
        () -> {
          Stage<IOException> stage = stage("stage-test", IOException.class);
          Stage<IOException>.Lane<Integer> lane = stage.lane(1);
          IOException diskFull = new IOException("disk full");
          stage.start(
              worker -> {
                while (lane.take() < 3) {
                  // consumes until the fourth item, then fails
                }
                throw diskFull;
              });
          IOException thrown = null;
          for (int i = 0; thrown == null; i++) {
            try {
              lane.put(i); // blocks on the full lane until the failure wakes it
            } catch (IOException e) {
              thrown = e;
            }
          }
          assertThat(thrown).isSameAs(diskFull);
          assertThatThrownBy(stage::join).isSameAs(diskFull);
          assertThatThrownBy(() -> lane.put(99)).isSameAs(diskFull);
          assertThat(stage.failed()).isTrue();
        });
  }

  @Test
  void theWorkersCheckedFailureTypeAndUncheckedFailuresComeBackAsThemselves() {
    assertTimeoutPreemptively(
        LIMIT,
        () -> {
          SQLException sql = new SQLException("deadlock", "40001");
          Stage<SQLException> first = stage("stage-test", SQLException.class);
          first.start(
              worker -> {
                throw sql;
              });
          assertThatThrownBy(first::join).isSameAs(sql);

          IllegalStateException bug = new IllegalStateException("bug");
          Stage<SQLException> second = stage("stage-test", SQLException.class);
          Stage<SQLException>.Lane<Object> lane = second.lane(1);
          second.start(
              worker -> {
                throw bug;
              });
          assertThatThrownBy(lane::take).isSameAs(bug);

          OutOfMemoryError error = new OutOfMemoryError("test");
          Stage<SQLException> third = stage("stage-test", SQLException.class);
          third.start(
              worker -> {
                throw error;
              });
          assertThatThrownBy(third::join).isSameAs(error);
        });
  }

  @Test
  void aFailureOfTheProducerStopsTheWorkerWaitingForItems() {
    assertTimeoutPreemptively(
        LIMIT,
        () -> {
          Stage<IOException> stage = stage("stage-test", IOException.class);
          Stage<IOException>.Lane<Integer> lane = stage.lane(2);
          AtomicReference<Throwable> workerSaw = new AtomicReference<>();
          CountDownLatch waiting = new CountDownLatch(1);
          stage.start(
              worker -> {
                try {
                  waiting.countDown();
                  lane.take();
                } catch (IOException | RuntimeException e) {
                  workerSaw.set(e);
                  throw e;
                }
              });
          waiting.await();
          IOException producerFailure = new IOException("the database went away");
          stage.fail(producerFailure);
          stage.close();
          assertThat(workerSaw.get()).isSameAs(producerFailure);
          assertThat(liveThreadsNamed("stage-test")).isEmpty();
          assertThatThrownBy(stage::join).isSameAs(producerFailure);
        });
  }

  @Test
  void closeStopsWorkersBlockedInEveryKindOfHandOff() {
    assertTimeoutPreemptively(
        LIMIT,
        () -> {
          Stage<IOException> stage = stage("stage-test", IOException.class);
          Stage<IOException>.Lane<Integer> empty = stage.lane(1);
          Stage<IOException>.Lane<Integer> full = stage.lane(1);
          Stage<IOException>.Permits none = stage.permits(0);
          full.put(0);
          List<Throwable> seen = Collections.synchronizedList(new ArrayList<>());
          stage.start(
              3,
              worker -> {
                try {
                  switch (worker) {
                    case 0 -> empty.take();
                    case 1 -> full.put(1);
                    default -> none.acquire(1);
                  }
                } catch (RuntimeException e) {
                  seen.add(e);
                }
              });
          Thread.sleep(100); // let them all block
          stage.close();
          assertThat(seen).hasSize(3).allMatch(e -> e instanceof CancellationException);
          assertThatThrownBy(() -> empty.put(1)).isInstanceOf(CancellationException.class);
        });
  }

  @Test
  void anInterruptedProducerGetsInterruptedIoExceptionAndLeaksNoThread() throws Exception {
    Stage<IOException> stage = stage("stage-test", IOException.class);
    Stage<IOException>.Lane<Integer> lane = stage.lane(1);
    CountDownLatch never = new CountDownLatch(1);
    CountDownLatch workerStarted = new CountDownLatch(1);
    stage.start(
        worker -> {
          workerStarted.countDown();
          // A slow consumer: it takes nothing until the stage fails.
          while (!stage.failed()) {
            try {
              never.await(5, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return;
            }
          }
          lane.take();
        });
    AtomicReference<Throwable> producerSaw = new AtomicReference<>();
    AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
    Thread producer =
        new Thread(
            () -> {
              try {
                lane.put(1);
                lane.put(2); // blocks: the lane holds one
              } catch (IOException | RuntimeException e) {
                producerSaw.set(e);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
              } finally {
                stage.close();
              }
            },
            "stage-test-producer");
    producer.start();
    workerStarted.await();
    while (producer.getState() != Thread.State.WAITING) {
      Thread.sleep(5);
    }
    producer.interrupt();
    producer.join(LIMIT.toMillis());
    assertThat(producer.isAlive()).isFalse();
    assertThat(producerSaw.get()).isInstanceOf(InterruptedIOException.class);
    assertThat(stillInterrupted.get()).isTrue();
    assertThat(liveThreadsNamed("stage-test")).isEmpty();
  }

  @Test
  void anInterruptedJoinStopsTheWorkersAndWaitsForThem() throws Exception {
    Stage<IOException> stage = stage("stage-test", IOException.class);
    Stage<IOException>.Lane<Integer> lane = stage.lane(1);
    stage.start(worker -> lane.take()); // waits for an item that never comes
    AtomicReference<Throwable> joinSaw = new AtomicReference<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                stage.join();
              } catch (IOException e) {
                joinSaw.set(e);
              }
            },
            "stage-test-caller");
    caller.start();
    while (caller.getState() != Thread.State.WAITING) {
      Thread.sleep(5);
    }
    caller.interrupt();
    caller.join(LIMIT.toMillis());
    assertThat(caller.isAlive()).isFalse();
    assertThat(joinSaw.get()).isInstanceOf(InterruptedIOException.class);
    assertThat(liveThreadsNamed("stage-test")).isEmpty();
  }

  @Test
  void cancelWithInterruptStopsAWorkerBlockedOutsideTheStage() {
    assertTimeoutPreemptively(
        LIMIT,
        () -> {
          Stage<IOException> stage = stage("stage-test", IOException.class);
          CountDownLatch started = new CountDownLatch(1);
          stage.start(
              worker -> {
                started.countDown();
                try {
                  Thread.sleep(Long.MAX_VALUE); // stands for blocking, interruptible I/O
                } catch (InterruptedException e) {
                  throw new InterruptedIOException("aborted");
                }
              });
          started.await();
          stage.cancel(true);
          assertThat(liveThreadsNamed("stage-test")).isEmpty();
          assertThatThrownBy(stage::rethrow).isInstanceOf(CancellationException.class);
        });
  }

  @Test
  void offerAndPollNeverWait() {
    assertTimeoutPreemptively(
        LIMIT,
        () -> {
          Stage<IOException> stage = stage("stage-test", IOException.class);
          Stage<IOException>.Lane<String> pool = stage.lane(2);
          assertThat(pool.poll()).isNull();
          assertThat(pool.offer("a")).isTrue();
          assertThat(pool.offer("b")).isTrue();
          assertThat(pool.offer("c")).isFalse();
          assertThat(pool.size()).isEqualTo(2);
          assertThat(pool.poll()).isEqualTo("a");
          stage.fail(new IOException("gone"));
          assertThat(pool.offer("d")).isFalse();
          assertThatThrownBy(pool::poll).hasMessage("gone");
        });
  }

  @Test
  void permitsWaitForReleases() {
    assertTimeoutPreemptively(
        LIMIT,
        () -> {
          Stage<IOException> stage = stage("stage-test", IOException.class);
          Stage<IOException>.Permits permits = stage.permits(10);
          Stage<IOException>.Lane<Integer> done = stage.lane(1);
          permits.acquire(8);
          stage.start(
              worker -> {
                permits.acquire(5); // waits for the release below
                done.put(5);
                done.end();
              });
          Thread.sleep(50);
          assertThat(done.poll()).isNull();
          permits.release(8);
          assertThat(done.take()).isEqualTo(5);
          stage.join();
        });
  }

  @Test
  void workerThreadsAreDaemonsNamedAfterTheStage() {
    assertTimeoutPreemptively(
        LIMIT,
        () -> {
          Stage<IOException> one = stage("stage-test-one", IOException.class);
          Stage<IOException> two = stage("stage-test-two", IOException.class);
          List<String> names = Collections.synchronizedList(new ArrayList<>());
          List<Boolean> daemons = Collections.synchronizedList(new ArrayList<>());
          Stage.Work<IOException> record =
              worker -> {
                names.add(Thread.currentThread().getName());
                daemons.add(Thread.currentThread().isDaemon());
              };
          one.start(record);
          two.start(2, record);
          one.join();
          two.join();
          assertThat(names)
              .containsExactlyInAnyOrder("stage-test-one", "stage-test-two-0", "stage-test-two-1");
          assertThat(daemons).containsOnly(true);
        });
  }

  private static List<Thread> liveThreadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(prefix) && t.isAlive())
        .filter(t -> t != Thread.currentThread())
        .toList();
  }
}
