package io.github.resnetjava.server;

import java.util.Locale;

/**
 * TF Serving's batching parameters ({@code BatchingParameters} in {@code
 * servables/tensorflow/session_bundle_config.proto}), with the same names and meaning.
 *
 * @param maxBatchSize {@code max_batch_size}: the most rows one merged session run takes; a single
 *     request with more rows is rejected
 * @param batchTimeoutMicros {@code batch_timeout_micros}: how long the oldest request of a partial
 *     batch waits for more before the batch runs anyway ({@code 0}: run at once)
 * @param maxEnqueuedBatches {@code max_enqueued_batches}: how many batches' worth of rows may wait
 *     per model version and signature; more are refused with 503
 * @param numBatchThreads {@code num_batch_threads}: threads running merged batches
 */
public record BatchingParameters(
    int maxBatchSize, long batchTimeoutMicros, int maxEnqueuedBatches, int numBatchThreads) {

  /** Validates every parameter, naming the bad one. */
  public BatchingParameters {
    require(maxBatchSize >= 1, "max_batch_size must be >= 1; got " + maxBatchSize);
    require(
        batchTimeoutMicros >= 0, "batch_timeout_micros must be >= 0; got " + batchTimeoutMicros);
    require(
        maxEnqueuedBatches >= 1, "max_enqueued_batches must be >= 1; got " + maxEnqueuedBatches);
    require(numBatchThreads >= 1, "num_batch_threads must be >= 1; got " + numBatchThreads);
  }

  /**
   * The file {@code tensorflow_model_server --batching_parameters_file} reads: a text-format {@code
   * BatchingParameters} whose wrapper fields are written as {@code { value: N }}.
   */
  public String toConfigText() {
    return String.format(
        Locale.ROOT,
        "max_batch_size { value: %d }%nbatch_timeout_micros { value: %d }%n"
            + "max_enqueued_batches { value: %d }%nnum_batch_threads { value: %d }%n",
        maxBatchSize,
        batchTimeoutMicros,
        maxEnqueuedBatches,
        numBatchThreads);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
