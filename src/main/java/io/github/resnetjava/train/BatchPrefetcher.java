package io.github.resnetjava.train;

import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.LongFunction;

/**
 * Prepares the batches of steps {@code [firstStep, endStep)} on a background thread into a bounded
 * queue, so reading, decoding and augmenting the next batch overlaps the current training step, as
 * {@code tf.data}'s {@code prefetch} does. The bound keeps memory flat when the producer is faster
 * than training.
 *
 * <p>{@link #next()} is for one consumer thread. Any failure of the producer, an {@link Error} such
 * as {@link OutOfMemoryError} included, is rethrown by the {@code next()} that would have received
 * its batch, so the consumer never waits for a batch that will not come. {@link #close()} stops the
 * producer.
 */
public final class BatchPrefetcher implements AutoCloseable {
  /** A producer failure, queued in place of its batch. */
  private record Failure(Throwable error) {}

  private final BlockingQueue<Object> queue;
  private final Thread producer;
  private final long endStep;
  private long nextStep;

  /**
   * Starts producing.
   *
   * @param batches the batch of a step; called from the producer thread only
   * @param firstStep the first step to produce
   * @param endStep one past the last step
   * @param capacity how many batches may wait ready, {@code >= 1}
   */
  public BatchPrefetcher(LongFunction<Batch> batches, long firstStep, long endStep, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1; got " + capacity);
    }
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.endStep = endStep;
    this.nextStep = firstStep;
    this.producer = new Thread(() -> produce(batches, firstStep, endStep), "batch-prefetcher");
    producer.setDaemon(true);
    producer.start();
  }

  private void produce(LongFunction<Batch> batches, long firstStep, long endStep) {
    try {
      for (long step = firstStep; step < endStep; step++) {
        Object item;
        try {
          item = batches.apply(step);
        } catch (Throwable e) {
          // Whatever ends the producer must reach the consumer blocked in take().
          item = new Failure(e);
        }
        queue.put(item);
        if (item instanceof Failure) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The next step's batch, waiting for it if needed.
   *
   * @throws NoSuchElementException past the last step
   * @throws RuntimeException what producing the batch threw, or an {@link IllegalStateException}
   *     wrapping a checked exception thrown sneakily
   * @throws Error what producing the batch threw
   */
  public Batch next() {
    if (nextStep >= endStep) {
      throw new NoSuchElementException("No batch after step " + (endStep - 1));
    }
    Object item;
    try {
      item = queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for a batch", e);
    }
    if (item instanceof Failure failure) {
      if (failure.error() instanceof RuntimeException e) {
        throw e;
      }
      if (failure.error() instanceof Error e) {
        throw e;
      }
      throw new IllegalStateException("Preparing a batch failed", failure.error());
    }
    nextStep++;
    return (Batch) item;
  }

  /** Stops the producer and waits for it to finish. */
  @Override
  public void close() {
    producer.interrupt();
    try {
      producer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
