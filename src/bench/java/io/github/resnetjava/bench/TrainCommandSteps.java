package io.github.resnetjava.bench;

import io.github.resnetjava.train.MetricsCsv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the {@code metrics.csv} of one {@code resnet train} run that {@code scripts/bench.sh}
 * started into a {@link BenchmarkResults} line: steps per second of {@link #BENCHMARK}, under the
 * run's oneDNN label and round.
 *
 * <p>The CSV's {@code images_per_second} is the training loop's throughput, smoothed over the last
 * steps (evaluation and checkpoints excluded); the run's figure is the median of that column over
 * the second half of the steps, when the graph is optimized and oneDNN's kernels are built, divided
 * by the batch size.
 */
public final class TrainCommandSteps {
  /** The benchmark name of these rows in the results file. */
  static final String BENCHMARK = "ResNetTrain.step";

  private TrainCommandSteps() {}

  /**
   * Entry point: {@code --csv FILE --batch N --params NAME=VALUE,... --onednn LABEL --round N
   * --results FILE}; prints the run's steps/s.
   */
  public static void main(String[] args) throws IOException {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    Path csv = Path.of(options.get("csv"));
    int batch = Integer.parseInt(options.get("batch"));
    List<MetricsCsv.Row> rows = MetricsCsv.read(csv);
    if (rows.size() < 4) {
      throw new IllegalArgumentException(
          csv + " has " + rows.size() + " steps; run at least 4 to time the second half");
    }
    double[] rates =
        rows.subList(rows.size() / 2, rows.size()).stream()
            .mapToDouble(MetricsCsv.Row::imagesPerSecond)
            .sorted()
            .toArray();
    double median =
        rates.length % 2 == 1
            ? rates[rates.length / 2]
            : (rates[rates.length / 2 - 1] + rates[rates.length / 2]) / 2;
    double stepsPerSecond = median / batch;
    String line =
        String.join(
                "\t",
                options.get("onednn"),
                options.get("round"),
                BENCHMARK,
                options.get("params"),
                "ops/s",
                Double.toString(stepsPerSecond),
                "-1")
            + "\n";
    Path results = Path.of(options.get("results"));
    Files.writeString(
        results,
        line,
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    System.out.printf(
        Locale.ROOT,
        "%s: %.3f steps/s (%.0f ms per step), median of %d values%n",
        csv,
        stepsPerSecond,
        1000 / stepsPerSecond,
        rates.length);
  }
}
