package io.github.resnetjava.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.openjdk.jmh.util.ListStatistics;

/**
 * The rows {@link BenchmarkSuite} appended to its results file, looked up by oneDNN label,
 * benchmark and parameters. Every round of one configuration is merged into one {@link
 * Measurement}; per-iteration values can be derived from several metrics of the same run (the
 * primary score and the secondary counters).
 */
final class BenchmarkResults {
  /** The metric name of a benchmark's primary score. */
  static final String PRIMARY = "";

  /** One line of the results file: one metric of one run. */
  private record Row(
      String oneDnn,
      String round,
      String benchmark,
      String metric,
      Map<String, String> params,
      double[] scores,
      long peakRssKib) {}

  /** The confidence level of {@link Measurement#error()}. */
  static final double CONFIDENCE = 0.95;

  private final List<Row> rows;

  private BenchmarkResults(List<Row> rows) {
    this.rows = rows;
  }

  /** Reads a results file. */
  static BenchmarkResults read(Path file) throws IOException {
    List<Row> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      String[] cells = line.split("\t", -1);
      Map<String, String> params = new TreeMap<>();
      if (!cells[3].isEmpty()) {
        for (String pair : cells[3].split(",")) {
          String[] keyValue = pair.split("=", 2);
          params.put(keyValue[0], keyValue[1]);
        }
      }
      String[] benchmarkAndMetric = cells[2].split(":", 2);
      double[] scores =
          Arrays.stream(cells[5].split(","))
              .filter(s -> !s.isEmpty())
              .mapToDouble(Double::parseDouble)
              .toArray();
      rows.add(
          new Row(
              cells[0],
              cells[1],
              benchmarkAndMetric[0],
              benchmarkAndMetric.length > 1 ? benchmarkAndMetric[1] : PRIMARY,
              params,
              scores,
              Long.parseLong(cells[6])));
    }
    return new BenchmarkResults(rows);
  }

  /**
   * The primary score of {@code benchmark} under oneDNN label {@code oneDnn}, over every run whose
   * parameters include all of {@code params}; empty if there is none.
   */
  Optional<Measurement> find(String oneDnn, String benchmark, Map<String, String> params) {
    return derive(oneDnn, benchmark, params, metrics -> metrics.get(PRIMARY));
  }

  /**
   * A value computed per measured iteration from that iteration's metrics (keyed by counter name,
   * {@link #PRIMARY} for the score), over every matching run, as a {@link Measurement}.
   */
  Optional<Measurement> derive(
      String oneDnn,
      String benchmark,
      Map<String, String> params,
      ToDoubleFunction<Map<String, Double>> perIteration) {
    Map<String, List<Row>> runs = new LinkedHashMap<>();
    long peakRss = -1;
    for (Row row : rows) {
      if (row.oneDnn().equals(oneDnn)
          && row.benchmark().equals(benchmark)
          && row.params().entrySet().containsAll(params.entrySet())) {
        runs.computeIfAbsent(row.round() + " " + row.params(), key -> new ArrayList<>()).add(row);
        peakRss = Math.max(peakRss, row.peakRssKib());
      }
    }
    ListStatistics statistics = new ListStatistics();
    for (List<Row> run : runs.values()) {
      int iterations = run.get(0).scores().length;
      for (int i = 0; i < iterations; i++) {
        Map<String, Double> metrics = new HashMap<>();
        for (Row row : run) {
          metrics.put(row.metric(), row.scores()[i]);
        }
        statistics.addValue(perIteration.applyAsDouble(metrics));
      }
    }
    if (statistics.getN() == 0) {
      return Optional.empty();
    }
    double error = statistics.getN() > 1 ? statistics.getMeanErrorAt(CONFIDENCE) : Double.NaN;
    return Optional.of(new Measurement(statistics.getMean(), error, statistics.getN(), peakRss));
  }
}
