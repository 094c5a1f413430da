package io.github.resnetjava.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The run limiter: never more runs at once than its bound, waiting requests run once a slot frees,
 * and a request that finds the wait queue full gets 503 at once.
 */
class RunLimiterTest {
  @Test
  void runsAtMostTheBoundAtOnceAndRefusesWhenTheQueueIsFull() throws Exception {
    RunLimiter limiter = new RunLimiter(2, 3);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(5);
    List<Future<Integer>> results = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        int id = i;
        results.add(
            pool.submit(
                () ->
                    limiter.run(
                        () -> {
                          mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                          try {
                            release.await(60, TimeUnit.SECONDS);
                          } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                          }
                          running.decrementAndGet();
                          return id;
                        })));
      }
      // Two run, three wait: the queue is full.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while ((running.get() < 2 || limiter.waiting() < 3) && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertEquals(2, running.get());
      assertEquals(3, limiter.waiting());

      ServingException full = assertThrows(ServingException.class, () -> limiter.run(() -> 99));
      assertEquals(ServingException.Code.UNAVAILABLE, full.code());
      assertTrue(full.getMessage().contains("--max-concurrent-runs"), full.getMessage());
      assertEquals(3, limiter.waiting(), "a refused request must not stay counted");

      release.countDown();
      for (int i = 0; i < 5; i++) {
        assertEquals(i, results.get(i).get(60, TimeUnit.SECONDS));
      }
      assertEquals(2, mostAtOnce.get());
      assertEquals(0, limiter.waiting());
      // Every slot was given back.
      assertEquals(7, limiter.run(() -> 7));
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void aFailedRunGivesItsSlotBack() {
    RunLimiter limiter = new RunLimiter(1, 0);
    assertThrows(
        IllegalStateException.class,
        () ->
            limiter.run(
                () -> {
                  throw new IllegalStateException("the session failed");
                }));
    assertEquals("ok", limiter.run(() -> "ok"));
  }

  @Test
  void rejectsBoundsBelowTheirMinimum() {
    assertThrows(IllegalArgumentException.class, () -> new RunLimiter(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new RunLimiter(1, -1));
  }
}
