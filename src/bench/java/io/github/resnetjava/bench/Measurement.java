package io.github.resnetjava.bench;

/**
 * A benchmark's throughput over all its measured iterations (every round merged), with the
 * half-width of its confidence interval at {@link BenchmarkResults#CONFIDENCE} (Student's t, as JMH
 * computes it).
 *
 * @param mean mean operations per second
 * @param error confidence half-width, same unit; NaN with fewer than two iterations
 * @param iterations measured iterations
 * @param peakRssKib highest peak RSS of the forks that measured it, KiB; -1 if not measured
 */
record Measurement(double mean, double error, long iterations, long peakRssKib) {

  /** This throughput times {@code factor} (images per batch, FLOP per operation, ...). */
  Measurement times(double factor) {
    return new Measurement(mean * factor, error * factor, iterations, peakRssKib);
  }

  /** The time per operation in milliseconds, the error propagated to first order. */
  Measurement millisPerOp() {
    return new Measurement(1000 / mean, 1000 * error / (mean * mean), iterations, peakRssKib);
  }

  /** {@code this / other}, the relative errors added in quadrature (independent measurements). */
  Measurement over(Measurement other) {
    double ratio = mean / other.mean;
    double relative = Math.hypot(error / mean, other.error / other.mean);
    return new Measurement(ratio, ratio * relative, Math.min(iterations, other.iterations), -1);
  }
}
