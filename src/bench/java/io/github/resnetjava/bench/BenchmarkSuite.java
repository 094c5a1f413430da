package io.github.resnetjava.bench;

import io.github.resnetjava.bench.InferenceBenchmark.Api;
import io.github.resnetjava.bench.InferenceBenchmark.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs a part of the benchmark suite through JMH, in a fixed, interleaved order, and appends every
 * measured iteration to a results file that {@link BenchmarkReport} turns into Markdown.
 *
 * <p>Parts: {@code inference} (ResNet-50 through the Classifier, both exports, batches 1 and 8, the
 * MatMul ceiling and, in the {@code default} process, DJL; with {@code --full true} also batch 32,
 * the raw session, the TensorFlow-default threads baseline and bfloat16 compute, measured next to
 * each other; {@code --round} alternates the order so a slow phase of the machine does not always
 * hit the same configuration), {@code construction} (graph construction of every depth), {@code
 * other} (export, load, tensor transfer, training step).
 *
 * <p>oneDNN cannot be switched inside a JVM ({@code TF_ENABLE_ONEDNN_OPTS} is read when TensorFlow
 * loads, and JMH forks inherit the host's environment), so {@code scripts/bench.sh} runs this class
 * once per oneDNN setting and passes the setting as {@code --onednn} to label the rows: {@code
 * default} (the variable unset: what a host JVM that sets nothing gets), {@code off} ({@code 0},
 * what {@code scripts/resnet predict|serve} sets) and {@code on} ({@code 1}).
 *
 * <p>Results file: one line per benchmark run and metric, tab-separated: oneDNN label, round,
 * benchmark ({@code Class.method}, or {@code Class.method:counter} for a secondary result such as
 * {@link InferenceBenchmark.PairedTimes}), parameters ({@code name=value} joined by {@code ,}),
 * unit, iteration scores in order (joined by {@code ,}), peak RSS of the fork in KiB (-1 where not
 * measured).
 */
public final class BenchmarkSuite {
  private static final List<String> BATCHES = List.of("1", "8", "32");

  private final Map<String, String> options;
  private final Path results;
  private final String oneDnn;
  private final int round;

  private BenchmarkSuite(Map<String, String> options) {
    this.options = options;
    this.results = Path.of(option("results", "target/bench/results/results.tsv"));
    this.oneDnn = option("onednn", "default");
    this.round = Integer.parseInt(option("round", "1"));
  }

  /**
   * Entry point: {@code --part inference|construction|other [--onednn LABEL] [--round N] [--full
   * true] [--results FILE] [--models DIR] [--warmup N] [--iterations N] [--seconds N]}; the last
   * three override every case's iteration settings (for quick checks).
   */
  public static void main(String[] args) throws IOException, RunnerException {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("Expected --name value pairs; got " + args[i]);
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    BenchmarkSuite suite = new BenchmarkSuite(options);
    String part = suite.option("part", "inference");
    List<BenchCase> cases =
        switch (part) {
          case "inference" -> suite.inferenceCases();
          case "construction" -> suite.constructionCases();
          case "other" -> suite.otherCases();
          default ->
              throw new IllegalArgumentException(
                  "--part must be inference, construction or other; got " + part);
        };
    for (BenchCase benchCase : cases) {
      suite.run(suite.overridden(benchCase));
    }
  }

  /**
   * ResNet-50 inference, batch by batch: both exports through the Classifier (order reversed on
   * even rounds); at batch 8 the MatMul ceiling; under the {@code default} label (the process that
   * leaves {@code TF_ENABLE_ONEDNN_OPTS} unset) DJL at the same batch. With {@code --full true}
   * also batch 32, the paired Classifier/raw-session runs, TensorFlow's default threads and, where
   * oneDNN may be on, bfloat16 compute.
   */
  private List<BenchCase> inferenceCases() {
    boolean full = Boolean.parseBoolean(option("full", "false"));
    List<String> models =
        ordered(List.of(ExportVariant.PLAIN.name(), ExportVariant.OPTIMIZED.name()));
    List<String> apis =
        full
            ? ordered(List.of(Api.CLASSIFIER.name(), Api.PAIRED.name()))
            : List.of(Api.CLASSIFIER.name());
    List<BenchCase> cases = new ArrayList<>();
    for (String batch : full ? BATCHES : BATCHES.subList(0, 2)) {
      for (String model : models) {
        for (String api : apis) {
          cases.add(inference(model, batch, api, Settings.LIBRARY));
        }
      }
      if (oneDnn.equals("default") && !batch.equals("32")) {
        cases.add(new BenchCase(DjlBenchmark.class, "infer", Map.of("batch", batch), 1, 2, 3));
      }
      if (batch.equals("8")) {
        if (full) {
          cases.add(
              inference(
                  ExportVariant.PLAIN.name(), batch, Api.CLASSIFIER.name(), Settings.TENSORFLOW));
        }
        cases.add(new BenchCase(MatMulBenchmark.class, "multiply", Map.of(), 1, 3, 2));
      }
      if (full && !oneDnn.equals("off") && !batch.equals("32")) {
        cases.add(
            inference(
                ExportVariant.OPTIMIZED.name(), batch, Api.CLASSIFIER.name(), Settings.BFLOAT16));
      }
    }
    return cases;
  }

  /** One ResNet-50 configuration; a paired operation makes two calls: longer iterations. */
  private static BenchCase inference(String model, String batch, String api, Settings settings) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("model", model);
    params.put("batch", batch);
    params.put("api", api);
    params.put("settings", settings.name());
    int seconds = api.equals(Api.PAIRED.name()) ? 6 : 3;
    return new BenchCase(InferenceBenchmark.class, "infer", params, 1, 2, seconds);
  }

  private List<BenchCase> constructionCases() {
    return List.of(new BenchCase(GraphConstructionBenchmark.class, "build", Map.of(), 1, 3, 1));
  }

  private List<BenchCase> otherCases() {
    return List.of(
        new BenchCase(ExportBenchmark.class, "export", Map.of(), 0, 3, 3),
        new BenchCase(LoadBenchmark.class, "load", Map.of(), 1, 3, 3),
        new BenchCase(LoadBenchmark.class, "loadAndClassify", Map.of(), 0, 3, 3),
        new BenchCase(TensorTransferBenchmark.class, "fillInput", Map.of(), 1, 3, 1),
        new BenchCase(TensorTransferBenchmark.class, "readOutput", Map.of(), 1, 3, 1),
        new BenchCase(TrainingStepBenchmark.class, "step", Map.of(), 1, 3, 3));
  }

  /** {@code values} on odd rounds, reversed on even ones. */
  private List<String> ordered(List<String> values) {
    List<String> ordered = new ArrayList<>(values);
    if (round % 2 == 0) {
      Collections.reverse(ordered);
    }
    return ordered;
  }

  private BenchCase overridden(BenchCase c) {
    return new BenchCase(
        c.benchmark(),
        c.method(),
        c.params(),
        Integer.parseInt(option("warmup", Integer.toString(c.warmupIterations()))),
        Integer.parseInt(option("iterations", Integer.toString(c.iterations()))),
        Integer.parseInt(option("seconds", Integer.toString(c.iterationSeconds()))));
  }

  private void run(BenchCase benchCase) throws IOException, RunnerException {
    System.out.println(
        "# resnet-java bench [oneDNN " + oneDnn + ", round " + round + "] " + benchCase.describe());
    Path rssFile = Files.createTempFile("resnet-bench-rss-", ".txt");
    try {
      ChainedOptionsBuilder builder =
          new OptionsBuilder()
              .include(benchCase.includePattern())
              .forks(1)
              .warmupIterations(benchCase.warmupIterations())
              .warmupTime(TimeValue.seconds(benchCase.iterationSeconds()))
              .measurementIterations(benchCase.iterations())
              .measurementTime(TimeValue.seconds(benchCase.iterationSeconds()))
              .shouldFailOnError(true)
              .jvmArgsAppend(
                  "-D"
                      + ExportVariant.MODELS_DIR_PROPERTY
                      + "="
                      + option("models", ExportVariant.DEFAULT_MODELS_DIR),
                  "-D" + PeakRss.FILE_PROPERTY + "=" + rssFile);
      if (benchCase.benchmark() == DjlBenchmark.class) {
        builder.jvmArgsAppend(DjlBenchmark.JVM_ARGS);
      }
      benchCase.params().forEach(builder::param);
      Collection<RunResult> runs = new Runner(builder.build()).run();
      boolean oneFork = !benchCase.params().isEmpty();
      for (RunResult run : runs) {
        append(benchCase, run, oneFork ? readRss(rssFile) : -1);
      }
    } finally {
      Files.deleteIfExists(rssFile);
    }
  }

  private void append(BenchCase benchCase, RunResult run, long rssKib) throws IOException {
    String params =
        run.getParams().getParamsKeys().stream()
            .map(key -> key + "=" + run.getParams().getParam(key))
            .collect(Collectors.joining(","));
    List<IterationResult> iterations = new ArrayList<>();
    for (BenchmarkResult fork : run.getBenchmarkResults()) {
      iterations.addAll(fork.getIterationResults());
    }
    StringBuilder lines = new StringBuilder();
    lines.append(
        line(benchCase.name(), params, iterations, IterationResult::getPrimaryResult, rssKib));
    for (String counter : iterations.get(0).getSecondaryResults().keySet()) {
      Function<IterationResult, Result<?>> metric =
          iteration -> iteration.getSecondaryResults().get(counter);
      // Counters a configuration does not use (the pair timers of a Classifier-only run) stay 0.
      if (iterations.stream().anyMatch(iteration -> metric.apply(iteration).getScore() != 0)) {
        lines.append(line(benchCase.name() + ":" + counter, params, iterations, metric, rssKib));
      }
    }
    Files.createDirectories(results.toAbsolutePath().getParent());
    Files.writeString(
        results,
        lines,
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  /** One results-file line: {@code metric}'s score in each iteration. */
  private String line(
      String benchmark,
      String params,
      List<IterationResult> iterations,
      Function<IterationResult, Result<?>> metric,
      long rssKib) {
    String scores =
        iterations.stream()
            .map(iteration -> Double.toString(metric.apply(iteration).getScore()))
            .collect(Collectors.joining(","));
    String unit = metric.apply(iterations.get(0)).getScoreUnit();
    return String.join(
            "\t",
            oneDnn,
            Integer.toString(round),
            benchmark,
            params,
            unit,
            scores,
            Long.toString(rssKib))
        + "\n";
  }

  private static long readRss(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    return text.isEmpty() ? -1 : Long.parseLong(text);
  }

  private String option(String name, String fallback) {
    return options.getOrDefault(name, fallback);
  }
}
