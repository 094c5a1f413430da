package io.github.resnetjava.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Batches arrive in step order from a bounded background producer; failures surface. */
class BatchPrefetcherTest {
  private static Batch batchOf(long step) {
    return new Batch(new float[3], new int[] {(int) step}, 1);
  }

  @Test
  void batchesArriveInStepOrderAndEndAtTheLastStep() {
    try (BatchPrefetcher prefetcher = new BatchPrefetcher(BatchPrefetcherTest::batchOf, 5, 9, 2)) {
      for (int step = 5; step < 9; step++) {
        assertEquals(step, prefetcher.next().labels()[0]);
      }
      assertThrows(NoSuchElementException.class, prefetcher::next);
    }
  }

  @Test
  void theProducerStaysAtMostTheCapacityAhead() throws InterruptedException {
    AtomicLong produced = new AtomicLong();
    try (BatchPrefetcher prefetcher =
        new BatchPrefetcher(
            step -> {
              produced.incrementAndGet();
              return batchOf(step);
            },
            0,
            1000,
            3)) {
      Thread.sleep(300);
      // Three queued, and a fourth made and waiting for room.
      assertTrue(produced.get() <= 4, "produced " + produced.get());
      prefetcher.next();
      Thread.sleep(100);
      assertTrue(produced.get() <= 5, "produced " + produced.get());
    }
  }

  @Test
  void aProducerFailureIsRethrownInPlaceOfItsBatch() {
    IllegalStateException failure = new IllegalStateException("unreadable");
    try (BatchPrefetcher prefetcher =
        new BatchPrefetcher(
            step -> {
              if (step == 2) {
                throw failure;
              }
              return batchOf(step);
            },
            0,
            10,
            4)) {
      prefetcher.next();
      prefetcher.next();
      assertSame(failure, assertThrows(IllegalStateException.class, prefetcher::next));
    }
  }

  @Test
  void anErrorInTheProducerReachesTheConsumerInsteadOfLeavingItWaiting() {
    StackOverflowError failure = new StackOverflowError("deep decoder recursion");
    try (BatchPrefetcher prefetcher =
        new BatchPrefetcher(
            step -> {
              if (step == 1) {
                throw failure;
              }
              return batchOf(step);
            },
            0,
            10,
            4)) {
      prefetcher.next();
      StackOverflowError thrown =
          assertTimeoutPreemptively(
              Duration.ofSeconds(10),
              () -> assertThrows(StackOverflowError.class, prefetcher::next));
      assertSame(failure, thrown);
    }
  }

  @Test
  void closeStopsABlockedProducer() {
    BatchPrefetcher prefetcher = new BatchPrefetcher(BatchPrefetcherTest::batchOf, 0, 1000, 1);
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
        Duration.ofSeconds(5), prefetcher::close);
  }
}
