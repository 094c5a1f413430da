package io.github.resnetjava.server;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Bounds the session runs that requests make on their own (without the batch scheduler): at most
 * {@code maxConcurrentRuns} run at once, up to {@code maxQueuedRuns} more wait their turn in
 * arrival order, and a request that finds the wait queue full gets UNAVAILABLE (503) at once, as a
 * full batching queue answers in TF Serving.
 *
 * <p>Every TensorFlow session run of a process shares one intra-op thread pool, which one ResNet
 * run already keeps busy; each further concurrent run only adds its own activation buffers and its
 * own share of the contention, so unbounded concurrency costs memory and throughput
 * (docs/benchmarks.md).
 */
final class RunLimiter {
  private final int maxConcurrentRuns;
  private final int maxQueuedRuns;
  private final Semaphore permits;
  private final AtomicInteger waiting = new AtomicInteger();

  /**
   * @param maxConcurrentRuns runs that may go on at once, at least 1
   * @param maxQueuedRuns requests that may wait for a run, at least 0
   */
  RunLimiter(int maxConcurrentRuns, int maxQueuedRuns) {
    if (maxConcurrentRuns < 1 || maxQueuedRuns < 0) {
      throw new IllegalArgumentException(
          "maxConcurrentRuns must be >= 1 and maxQueuedRuns >= 0; got "
              + maxConcurrentRuns
              + " and "
              + maxQueuedRuns);
    }
    this.maxConcurrentRuns = maxConcurrentRuns;
    this.maxQueuedRuns = maxQueuedRuns;
    this.permits = new Semaphore(maxConcurrentRuns, true);
  }

  /**
   * Runs {@code work} once a run slot is free, waiting in arrival order.
   *
   * @throws ServingException UNAVAILABLE if {@code maxQueuedRuns} requests are waiting already, or
   *     if the thread is interrupted while it waits
   */
  <T> T run(Supplier<T> work) {
    acquire();
    try {
      return work.get();
    } finally {
      permits.release();
    }
  }

  /** Requests waiting for a run slot now. */
  int waiting() {
    return waiting.get();
  }

  private void acquire() {
    try {
      // A timed tryAcquire honours the fair ordering: it never overtakes a waiting request.
      if (permits.tryAcquire(0, TimeUnit.NANOSECONDS)) {
        return;
      }
      if (waiting.incrementAndGet() > maxQueuedRuns) {
        waiting.decrementAndGet();
        throw new ServingException(
            ServingException.Code.UNAVAILABLE,
            "The server is running "
                + maxConcurrentRuns
                + " requests and "
                + maxQueuedRuns
                + " more are waiting (--max-concurrent-runs, --max-queued-runs); retry later");
      }
      try {
        permits.acquire();
      } finally {
        waiting.decrementAndGet();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServingException(
          ServingException.Code.UNAVAILABLE,
          "Interrupted while waiting to run; the server is stopping");
    }
  }
}
