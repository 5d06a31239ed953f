package io.metadataops.backup.pipeline;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The engine's one producer/consumer primitive: worker threads of their own and the bounded {@link
 * Lane}s (and {@link Permits}) through which they and the calling thread hand work over, in either
 * direction.
 *
 * <p>The first failure of any of them, a worker's exception, the caller's {@link #fail} or {@link
 * #close}, or an interrupt while waiting in a lane, fails the whole stage: every thread waiting in
 * one of its lanes wakes up and every hand-off from then on throws that failure, so neither side
 * can wait forever for a side that gave up, and the caller gets the first cause. {@link #join}
 * waits for the workers and rethrows it; {@link #close} stops them and waits: no thread outlives a
 * stage that was closed.
 *
 * <p>Hand-offs take a lock shared by the stage's lanes and allocate nothing: the items themselves
 * (pooled buffers, usually) are the caller's business.
 *
 * @param <X> the checked exception the workers may fail with besides {@link IOException}
 */
public final class Stage<X extends Exception> implements AutoCloseable {

  /** What a worker thread runs; {@code worker} counts from 0. */
  @FunctionalInterface
  public interface Work<X extends Exception> {
    void run(int worker) throws X, IOException;
  }

  private final String name;
  private final Class<X> failureType;
  private final ReentrantLock lock = new ReentrantLock();

  /** Every condition a thread may wait on: a failure wakes them all. */
  private final List<Condition> conditions = new ArrayList<>();

  private final List<Thread> threads = new ArrayList<>();
  private volatile Throwable failure;

  /**
   * {@code name}: the worker thread's name (with {@code -N} appended when there are several);
   * {@code failureType}: the checked exception the workers may throw besides IOException.
   */
  public Stage(String name, Class<X> failureType) {
    this.name = name;
    this.failureType = failureType;
  }

  /** A lane for one writer (the thread that {@linkplain Lane#end ends} it). */
  public <T> Lane<T> lane(int capacity) {
    return new Lane<>(capacity, 1);
  }

  /** A lane that ends once each of its {@code writers} has {@linkplain Lane#end ended} it. */
  public <T> Lane<T> lane(int capacity, int writers) {
    return new Lane<>(capacity, writers);
  }

  public Permits permits(int count) {
    return new Permits(count);
  }

  /** Starts one worker thread named as the stage. */
  public void start(Work<X> work) {
    startThreads(1, work, false);
  }

  /** Starts {@code workers} threads named {@code name-0}, {@code name-1} ... */
  public void start(int workers, Work<X> work) {
    startThreads(workers, work, true);
  }

  private void startThreads(int count, Work<X> work, boolean numbered) {
    if (!threads.isEmpty()) {
      throw new IllegalStateException(name + " was already started");
    }
    for (int i = 0; i < count; i++) {
      int worker = i;
      Thread thread = new Thread(() -> runWorker(work, worker), numbered ? name + "-" + i : name);
      thread.setDaemon(true);
      threads.add(thread);
    }
    threads.forEach(Thread::start);
  }

  private void runWorker(Work<X> work, int worker) {
    try {
      work.run(worker);
    } catch (Throwable e) {
      fail(e);
    }
  }

  /** Fails the stage with {@code e} unless it failed already: the first failure is the one kept. */
  public void fail(Throwable e) {
    lock.lock();
    try {
      if (failure == null) {
        failure = e;
        conditions.forEach(Condition::signalAll);
      }
    } finally {
      lock.unlock();
    }
  }

  /** True once the stage failed or was closed: a long-running worker checks it between items. */
  public boolean failed() {
    return failure != null;
  }

  /** Throws the stage's failure, if any. */
  public void rethrow() throws X, IOException {
    Throwable e = failure;
    if (e != null) {
      throwFailure(e);
    }
  }

  /** Waits until every worker has returned, then throws the stage's failure, if any. */
  public void join() throws X, IOException {
    try {
      for (Thread thread : threads) {
        thread.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(interrupted());
      awaitWorkers();
    }
    rethrow();
  }

  /**
   * Stops the workers, which see the stage failed at their next hand-off, and waits for them; never
   * throws. Idempotent; after {@link #join} it only fails the lanes for whoever would still use
   * them.
   */
  @Override
  public void close() {
    cancel(false);
  }

  /**
   * {@link #close}, interrupting the workers first when {@code interrupt} is true: for workers that
   * may be blocked in interruptible I/O (which an interrupt aborts, closing a file channel).
   */
  public void cancel(boolean interrupt) {
    fail(new CancellationException(name + " was stopped"));
    if (interrupt) {
      threads.forEach(Thread::interrupt);
    }
    awaitWorkers();
  }

  /** Joins every worker, whatever interrupts come meanwhile (they are kept for the caller). */
  private void awaitWorkers() {
    boolean interrupted = false;
    for (Thread thread : threads) {
      while (thread.isAlive()) {
        try {
          thread.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private InterruptedIOException interrupted() {
    return new InterruptedIOException("interrupted while waiting for " + name);
  }

  private void throwFailure(Throwable e) throws X, IOException {
    if (e instanceof IOException io) {
      throw io;
    }
    if (failureType.isInstance(e)) {
      throw failureType.cast(e);
    }
    if (e instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (e instanceof Error error) {
      throw error;
    }
    throw new IOException(name + " failed: " + e, e);
  }

  private Condition newCondition() {
    Condition condition = lock.newCondition();
    lock.lock();
    try {
      conditions.add(condition);
    } finally {
      lock.unlock();
    }
    return condition;
  }

  /** Waits on {@code condition} (the lock held); an interrupt fails the stage. */
  private void await(Condition condition) throws X, IOException {
    try {
      condition.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(interrupted());
      rethrow();
    }
  }

  /**
   * A bounded first-in first-out hand-off between threads of the stage. {@link #take} returns null
   * once every writer has {@linkplain #end ended} the lane and its items are taken; once the stage
   * failed, every put and take throws the failure (items still in the lane are dropped).
   */
  public final class Lane<T> {
    private final Object[] items;
    private final Condition notEmpty = newCondition();
    private final Condition notFull = newCondition();
    private int head;
    private int count;
    private int writers;

    private Lane(int capacity, int writers) {
      if (capacity < 1 || writers < 1) {
        throw new IllegalArgumentException("capacity and writers must be positive");
      }
      this.items = new Object[capacity];
      this.writers = writers;
    }

    /** Adds {@code item}, waiting while the lane is full. */
    public void put(T item) throws X, IOException {
      lock.lock();
      try {
        while (true) {
          rethrow();
          if (writers == 0) {
            throw new IllegalStateException(name + ": put after the lane ended");
          }
          if (count < items.length) {
            break;
          }
          await(notFull);
        }
        add(item);
      } finally {
        lock.unlock();
      }
    }

    /**
     * Adds {@code item} if there is room and the stage has not failed; never waits, never throws:
     * for giving a pooled buffer back.
     */
    public boolean offer(T item) {
      lock.lock();
      try {
        if (failure != null || count == items.length) {
          return false;
        }
        add(item);
        return true;
      } finally {
        lock.unlock();
      }
    }

    private void add(T item) {
      items[(head + count) % items.length] = item;
      count++;
      notEmpty.signal();
    }

    /** The next item, waiting while the lane is empty; null once it ended. */
    public T take() throws X, IOException {
      lock.lock();
      try {
        while (true) {
          rethrow();
          if (count > 0) {
            return remove();
          }
          if (writers == 0) {
            return null;
          }
          await(notEmpty);
        }
      } finally {
        lock.unlock();
      }
    }

    /** The next item, or null when there is none right now; never waits. */
    public T poll() throws X, IOException {
      lock.lock();
      try {
        rethrow();
        return count > 0 ? remove() : null;
      } finally {
        lock.unlock();
      }
    }

    @SuppressWarnings("unchecked")
    private T remove() {
      T item = (T) items[head];
      items[head] = null;
      head = (head + 1) % items.length;
      count--;
      notFull.signal();
      return item;
    }

    /** Says that one writer has put its last item. */
    public void end() {
      lock.lock();
      try {
        if (writers > 0 && --writers == 0) {
          notEmpty.signalAll();
          notFull.signalAll();
        }
      } finally {
        lock.unlock();
      }
    }

    /** Items waiting in the lane. */
    public int size() {
      lock.lock();
      try {
        return count;
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * A counting semaphore of the stage: {@link #acquire} waits for permits, and throws the stage's
   * failure instead of waiting for permits that a failed worker will never release.
   */
  public final class Permits {
    private final Condition released = newCondition();
    private int available;

    private Permits(int count) {
      this.available = count;
    }

    public void acquire(int permits) throws X, IOException {
      lock.lock();
      try {
        while (true) {
          rethrow();
          if (available >= permits) {
            available -= permits;
            return;
          }
          await(released);
        }
      } finally {
        lock.unlock();
      }
    }

    public void release(int permits) {
      lock.lock();
      try {
        available += permits;
        released.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }
}
