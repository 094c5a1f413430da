package io.github.resnetjava.server;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.IntSupplier;

/**
 * The server's Prometheus metrics, named after TF Serving's ({@code
 * /tensorflow/serving/request_count} and so on, with {@code /} written {@code :} as TF Serving's
 * Prometheus exporter writes it), in a registry of their own and written in the Prometheus text
 * format by the Prometheus Java client.
 */
final class ServerMetrics {
  private static final String PREFIX = ":tensorflow:serving:";

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Counter requests;
  private final Histogram latency;
  private final Histogram batchSizes;

  /**
   * Registers the metrics.
   *
   * @param queueDepth the requests waiting for a batch thread or a run slot now
   * @param models the models served now, for the loaded-versions gauge
   */
  ServerMetrics(IntSupplier queueDepth, ModelManager models) {
    requests =
        Counter.builder()
            .name(PREFIX + "request_count")
            .help("REST requests by model and TF Serving status code (OK, INVALID_ARGUMENT, ...)")
            .labelNames("model_name", "status")
            .register(registry);
    latency =
        Histogram.builder()
            .name(PREFIX + "request_latency_seconds")
            .help("REST request latency, from the request's arrival to its answer")
            .labelNames("model_name", "API")
            .classicOnly()
            .classicExponentialUpperBounds(0.001, 2, 16)
            .register(registry);
    batchSizes =
        Histogram.builder()
            .name(PREFIX + "batching_session:processed_batch_size")
            .help("Rows of each session run made by the batching scheduler")
            .classicOnly()
            .classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
            .register(registry);
    GaugeWithCallback.builder()
        .name(PREFIX + "batching_session:queue_depth")
        .help("Requests waiting in the batching queues or for an unbatched run")
        .callback(callback -> callback.call(queueDepth.getAsInt()))
        .register(registry);
    GaugeWithCallback.builder()
        .name(PREFIX + "loaded_versions")
        .help("Versions of each model being served")
        .labelNames("model_name")
        .callback(callback -> models.forEachModel((name, count) -> callback.call(count, name)))
        .register(registry);
  }

  /** Counts one request of {@code api} for {@code model} that ended with {@code status}. */
  void request(String model, String api, String status, long elapsedNanos) {
    requests.labelValues(model, status).inc();
    latency.labelValues(model, api).observe(elapsedNanos / 1e9);
  }

  /** Records one session run of {@code rows} rows. */
  void batch(int rows) {
    batchSizes.observe(rows);
  }

  /** The content type of {@link #write}'s output. */
  String contentType() {
    return writer.getContentType();
  }

  /** Writes every metric in the Prometheus text format. */
  void write(OutputStream out) throws IOException {
    writer.write(out, registry.scrape());
  }
}
