package io.github.resnetjava.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.IntConsumer;

/**
 * Dynamic batching as TF Serving's shared batch scheduler does it: requests for the same key (a
 * model version and signature) wait in that key's queue; a batch runs when it holds {@link
 * BatchingParameters#maxBatchSize()} rows, or when its oldest request has waited {@link
 * BatchingParameters#batchTimeoutMicros()}, on one of {@link BatchingParameters#numBatchThreads()}
 * shared threads. A batch's inputs are concatenated along dimension 0, run once, and the outputs
 * split back by rows, so each request gets exactly what an unbatched run would give it.
 *
 * <p>If a merged run fails (one request's image cannot be decoded, say), each request of the batch
 * is run alone, so only the bad one fails. The batch-size callback hears of every run but such a
 * failed merged one, so the sizes it is told add up to the rows submitted, each row counted once.
 *
 * @param <K> the queue key; requests with equal keys may be merged
 */
final class BatchScheduler<K> implements AutoCloseable {
  private final BatchingParameters parameters;
  private final BiFunction<K, Map<String, HostTensor>, Map<String, HostTensor>> runner;
  private final IntConsumer batchSizes;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Map<K, ArrayDeque<Task<K>>> queues = new LinkedHashMap<>();
  private final Map<K, Long> queuedRows = new HashMap<>();
  private final List<Thread> threads = new ArrayList<>();
  private int queuedTasks;
  private boolean shutdown;

  private record Task<K>(
      K key,
      Map<String, HostTensor> inputs,
      long rows,
      long enqueuedNanos,
      CompletableFuture<Map<String, HostTensor>> result) {}

  /**
   * Starts the batch threads.
   *
   * @param runner runs one (merged) batch for a key
   * @param batchSizes told the rows of every session run (a failed merged run is told as the lone
   *     runs that replace it)
   */
  BatchScheduler(
      BatchingParameters parameters,
      BiFunction<K, Map<String, HostTensor>, Map<String, HostTensor>> runner,
      IntConsumer batchSizes) {
    this.parameters = parameters;
    this.runner = runner;
    this.batchSizes = batchSizes;
    for (int i = 0; i < parameters.numBatchThreads(); i++) {
      Thread thread = new Thread(this::work, "batch-thread-" + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  /**
   * Queues a request of {@code rows} rows.
   *
   * @return its outputs, once its batch has run
   * @throws ServingException INVALID_ARGUMENT if {@code rows} exceeds max_batch_size, UNAVAILABLE
   *     if the key's queue is full or the scheduler is shut down
   */
  CompletableFuture<Map<String, HostTensor>> submit(
      K key, Map<String, HostTensor> inputs, long rows) {
    if (rows > parameters.maxBatchSize()) {
      throw ServingException.invalid(
          "Task size "
              + rows
              + " is larger than maximum batch size "
              + parameters.maxBatchSize()
              + ": send at most max_batch_size instances per request");
    }
    Task<K> task = new Task<>(key, inputs, rows, System.nanoTime(), new CompletableFuture<>());
    lock.lock();
    try {
      if (shutdown) {
        throw new ServingException(
            ServingException.Code.UNAVAILABLE,
            "The server is shutting down and takes no new requests");
      }
      long queued = queuedRows.getOrDefault(key, 0L);
      if (queued + rows > (long) parameters.maxEnqueuedBatches() * parameters.maxBatchSize()) {
        throw new ServingException(
            ServingException.Code.UNAVAILABLE,
            "The batch scheduling queue to which this task was submitted is full ("
                + parameters.maxEnqueuedBatches()
                + " batches of "
                + parameters.maxBatchSize()
                + " rows); retry later");
      }
      queues.computeIfAbsent(key, k -> new ArrayDeque<>()).add(task);
      queuedRows.put(key, queued + rows);
      queuedTasks++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    return task.result();
  }

  /** Requests waiting for a batch thread now. */
  int queuedTasks() {
    lock.lock();
    try {
      return queuedTasks;
    } finally {
      lock.unlock();
    }
  }

  /** Runs what is queued, then stops the batch threads; later submissions get UNAVAILABLE. */
  @Override
  public void close() {
    lock.lock();
    try {
      shutdown = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    for (Thread thread : threads) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(60));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void work() {
    while (true) {
      List<Task<K>> batch = nextBatch();
      if (batch == null) {
        return;
      }
      run(batch);
    }
  }

  /** Waits for a batch that is due; null once shut down with nothing queued. */
  private List<Task<K>> nextBatch() {
    lock.lock();
    try {
      while (true) {
        long now = System.nanoTime();
        long timeoutNanos = TimeUnit.MICROSECONDS.toNanos(parameters.batchTimeoutMicros());
        long earliestDue = Long.MAX_VALUE;
        for (Map.Entry<K, ArrayDeque<Task<K>>> queue : queues.entrySet()) {
          long due = queue.getValue().peek().enqueuedNanos() + timeoutNanos;
          boolean full = queuedRows.get(queue.getKey()) >= parameters.maxBatchSize();
          if (full || shutdown || due - now <= 0) {
            return take(queue.getKey());
          }
          earliestDue = Math.min(earliestDue, due - now);
        }
        if (shutdown) {
          return null;
        }
        if (earliestDue == Long.MAX_VALUE) {
          changed.awaitUninterruptibly();
        } else {
          changed.awaitNanos(earliestDue);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } finally {
      lock.unlock();
    }
  }

  /** Takes up to max_batch_size rows from the head of {@code key}'s queue (lock held). */
  private List<Task<K>> take(K key) {
    ArrayDeque<Task<K>> queue = queues.get(key);
    List<Task<K>> batch = new ArrayList<>();
    long rows = 0;
    while (!queue.isEmpty() && rows + queue.peek().rows() <= parameters.maxBatchSize()) {
      Task<K> task = queue.poll();
      rows += task.rows();
      batch.add(task);
    }
    queuedTasks -= batch.size();
    long left = queuedRows.get(key) - rows;
    if (queue.isEmpty()) {
      queues.remove(key);
      queuedRows.remove(key);
    } else {
      queuedRows.put(key, left);
      // Another thread may take the rest now.
      changed.signal();
    }
    return batch;
  }

  private void run(List<Task<K>> batch) {
    if (batch.size() == 1) {
      runAlone(batch.get(0));
      return;
    }
    K key = batch.get(0).key();
    List<Map<String, HostTensor>> outputs;
    try {
      Map<String, HostTensor> merged = new LinkedHashMap<>();
      for (String alias : batch.get(0).inputs().keySet()) {
        merged.put(
            alias, HostTensor.concat(batch.stream().map(t -> t.inputs().get(alias)).toList()));
      }
      long[] rows = batch.stream().mapToLong(Task::rows).toArray();
      Map<String, HostTensor> result = runner.apply(key, merged);
      // Counted once it ran: a merged run that fails is counted as the lone runs that follow.
      batchSizes.accept(Math.toIntExact(java.util.Arrays.stream(rows).sum()));
      outputs = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        outputs.add(new LinkedHashMap<>());
      }
      for (Map.Entry<String, HostTensor> output : result.entrySet()) {
        List<HostTensor> pieces = output.getValue().split(rows);
        for (int i = 0; i < batch.size(); i++) {
          outputs.get(i).put(output.getKey(), pieces.get(i));
        }
      }
    } catch (RuntimeException e) {
      // A request the others cannot share a run with: give each its own run and its own answer.
      batch.forEach(this::runAlone);
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).result().complete(outputs.get(i));
    }
  }

  private void runAlone(Task<K> task) {
    try {
      batchSizes.accept(Math.toIntExact(task.rows()));
      task.result().complete(runner.apply(task.key(), task.inputs()));
    } catch (RuntimeException e) {
      task.result().completeExceptionally(e);
    }
  }
}
