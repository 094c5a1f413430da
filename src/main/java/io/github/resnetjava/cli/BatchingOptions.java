package io.github.resnetjava.cli;

import io.github.resnetjava.server.BatchingParameters;
import picocli.CommandLine.Option;

/**
 * TF Serving's batching parameters as options, shared by {@code serve} (which batches with them)
 * and {@code serving-config} (which writes them for {@code tensorflow_model_server}).
 */
final class BatchingOptions {
  @Option(
      names = "--batching",
      description =
          "Merge concurrent requests into one session run (TF Serving's" + " --enable_batching).")
  boolean enabled;

  @Option(
      names = "--max-batch-size",
      paramLabel = "N",
      defaultValue = "8",
      converter = OptionConverters.PositiveInt.class,
      description = "max_batch_size: most images per merged run (default: ${DEFAULT-VALUE}).")
  int maxBatchSize;

  @Option(
      names = "--batch-timeout-micros",
      paramLabel = "US",
      defaultValue = "2000",
      description =
          "batch_timeout_micros: how long a partial batch waits for more"
              + " (default: ${DEFAULT-VALUE}).")
  long batchTimeoutMicros;

  @Option(
      names = "--max-enqueued-batches",
      paramLabel = "N",
      defaultValue = "16",
      converter = OptionConverters.PositiveInt.class,
      description =
          "max_enqueued_batches: batches that may wait per model version and"
              + " signature before requests get 503 (default: ${DEFAULT-VALUE}).")
  int maxEnqueuedBatches;

  @Option(
      names = "--num-batch-threads",
      paramLabel = "N",
      converter = OptionConverters.PositiveInt.class,
      description =
          "num_batch_threads: threads running merged batches (default: the number of"
              + " CPU cores).")
  Integer numBatchThreads;

  /** The parameters given (whether or not batching is enabled). */
  BatchingParameters parameters() {
    int threads =
        numBatchThreads != null ? numBatchThreads : Runtime.getRuntime().availableProcessors();
    return new BatchingParameters(maxBatchSize, batchTimeoutMicros, maxEnqueuedBatches, threads);
  }
}
