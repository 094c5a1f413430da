package io.github.resnetjava.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.DataType;

/**
 * The batching scheduler with a stand-in for the session: requests are merged up to max_batch_size,
 * each gets exactly its own rows back, a full queue refuses with 503, and a bad request in a merged
 * batch fails alone.
 */
class BatchSchedulerTest {
  /**
   * A request of {@code rows} rows, row i holding the two values {@code id + i} and {@code -(id +
   * i)}.
   */
  private static Map<String, HostTensor> request(float id, int rows) {
    float[] values = new float[rows * 2];
    for (int i = 0; i < rows; i++) {
      values[2 * i] = id + i;
      values[2 * i + 1] = -(id + i);
    }
    return Map.of("x", HostTensor.of(DataType.DT_FLOAT, new long[] {rows, 2}, values));
  }

  /** The stand-in model: y = 2x per element, and the row sums as a second output. */
  private static Map<String, HostTensor> model(Map<String, HostTensor> inputs) {
    HostTensor x = inputs.get("x");
    float[] in = (float[]) x.values();
    float[] doubled = new float[in.length];
    long[] sums = new long[(int) x.dim(0)];
    for (int i = 0; i < in.length; i++) {
      doubled[i] = 2 * in[i];
      sums[i / 2] += (long) in[i];
    }
    return Map.of(
        "y", HostTensor.of(DataType.DT_FLOAT, x.shape(), doubled),
        "sum", HostTensor.of(DataType.DT_INT64, new long[] {x.dim(0)}, sums));
  }

  @Test
  void concurrentRequestsAreMergedAndEachGetsItsOwnRows() throws Exception {
    List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
    BatchingParameters parameters = new BatchingParameters(8, 20_000, 100, 2);
    try (BatchScheduler<String> scheduler =
        new BatchScheduler<>(parameters, (key, inputs) -> model(inputs), batchSizes::add)) {
      ExecutorService clients = Executors.newFixedThreadPool(8);
      List<Future<Void>> done = new ArrayList<>();
      for (int c = 0; c < 8; c++) {
        int client = c;
        done.add(
            clients.submit(
                () -> {
                  for (int r = 0; r < 20; r++) {
                    float id = client * 1000 + r * 10;
                    int rows = 1 + (r % 3);
                    Map<String, HostTensor> out =
                        scheduler.submit("m", request(id, rows), rows).get();
                    float[] expected = (float[]) model(request(id, rows)).get("y").values();
                    assertArrayEquals(expected, (float[]) out.get("y").values());
                    assertArrayEquals(new long[] {rows, 2}, out.get("y").shape());
                    assertArrayEquals(new long[rows], (long[]) out.get("sum").values());
                  }
                  return null;
                }));
      }
      for (Future<Void> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
      clients.shutdown();
    }
    int rows = batchSizes.stream().mapToInt(Integer::intValue).sum();
    assertEquals(8 * (7 * 1 + 7 * 2 + 6 * 3), rows);
    assertTrue(batchSizes.stream().allMatch(size -> size <= 8), batchSizes.toString());
    assertTrue(batchSizes.size() < 160, "no request was merged: " + batchSizes);
  }

  @Test
  void aFullQueueRefusesWith503AndOversizedRequestsWith400() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch running = new CountDownLatch(1);
    BatchingParameters parameters = new BatchingParameters(2, 0, 1, 1);
    try (BatchScheduler<String> scheduler =
        new BatchScheduler<>(
            parameters,
            (key, inputs) -> {
              running.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return model(inputs);
            },
            size -> {})) {
      CompletableFuture<Map<String, HostTensor>> first = scheduler.submit("m", request(1, 2), 2);
      running.await(10, TimeUnit.SECONDS);
      // The only thread is busy: one batch (2 rows) may wait, a third row may not.
      CompletableFuture<Map<String, HostTensor>> second = scheduler.submit("m", request(5, 1), 1);
      CompletableFuture<Map<String, HostTensor>> third = scheduler.submit("m", request(6, 1), 1);
      ServingException full =
          assertThrows(ServingException.class, () -> scheduler.submit("m", request(7, 1), 1));
      assertEquals(503, full.code().httpStatus());
      assertTrue(full.getMessage().contains("queue"), full.getMessage());
      // Another key has a queue of its own.
      CompletableFuture<Map<String, HostTensor>> other = scheduler.submit("n", request(9, 1), 1);
      ServingException tooBig =
          assertThrows(ServingException.class, () -> scheduler.submit("m", request(1, 3), 3));
      assertEquals(400, tooBig.code().httpStatus());
      release.countDown();
      assertArrayEquals(
          new float[] {10, -10}, (float[]) second.get(10, TimeUnit.SECONDS).get("y").values());
      assertArrayEquals(
          new float[] {12, -12}, (float[]) third.get(10, TimeUnit.SECONDS).get("y").values());
      assertArrayEquals(
          new float[] {18, -18}, (float[]) other.get(10, TimeUnit.SECONDS).get("y").values());
      first.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aRequestThatBreaksAMergedRunFailsAloneAndTheOthersAreAnswered() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
    BatchingParameters parameters = new BatchingParameters(8, 0, 10, 1);
    try (BatchScheduler<String> scheduler =
        new BatchScheduler<>(
            parameters,
            (key, inputs) -> {
              float[] x = (float[]) inputs.get("x").values();
              if (x[0] == 0) {
                // Hold the thread so the next requests queue up and merge.
                try {
                  release.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              for (float v : x) {
                if (v == 666) {
                  throw ServingException.invalid("row 666 is undecodable");
                }
              }
              return model(inputs);
            },
            batchSizes::add)) {
      CompletableFuture<Map<String, HostTensor>> blocker = scheduler.submit("m", request(0, 1), 1);
      Thread.sleep(100);
      CompletableFuture<Map<String, HostTensor>> good1 = scheduler.submit("m", request(1, 1), 1);
      CompletableFuture<Map<String, HostTensor>> bad = scheduler.submit("m", request(666, 1), 1);
      CompletableFuture<Map<String, HostTensor>> good2 = scheduler.submit("m", request(3, 1), 1);
      release.countDown();
      blocker.get(10, TimeUnit.SECONDS);
      assertArrayEquals(
          new float[] {2, -2}, (float[]) good1.get(10, TimeUnit.SECONDS).get("y").values());
      assertArrayEquals(
          new float[] {6, -6}, (float[]) good2.get(10, TimeUnit.SECONDS).get("y").values());
      ExecutionException failure =
          assertThrows(ExecutionException.class, () -> bad.get(10, TimeUnit.SECONDS));
      assertTrue(failure.getCause().getMessage().contains("666"));
      // The merged run of three failed and is counted as the three lone runs that replaced it:
      // each of the four rows once, not twice.
      assertEquals(List.of(1, 1, 1, 1), batchSizes);
    }
  }
}
