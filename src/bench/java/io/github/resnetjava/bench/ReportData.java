package io.github.resnetjava.bench;

import static io.github.resnetjava.bench.ReportFormat.format;
import static io.github.resnetjava.bench.ReportFormat.verdict;

import io.github.resnetjava.bench.InferenceBenchmark.Api;
import io.github.resnetjava.bench.InferenceBenchmark.Settings;
import io.github.resnetjava.model.DataFormat;
import io.github.resnetjava.summary.ModelSummarizer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * What a report is made of, and the queries on it: the {@link BenchmarkSuite} results, what {@code
 * scripts/bench.sh} recorded about the run, {@link ExportAgreement}'s file, the machine, and
 * ResNet-50's floating-point operations per image.
 *
 * @param results the benchmark results
 * @param run the run file: {@code finished}, {@code minutes}, {@code rounds}, {@code schedule},
 *     {@code oneDnnDefault}, {@code loadBefore}, {@code loadDuring}, {@code loadAfter}
 * @param agreement {@link ExportAgreement}'s results
 * @param machine the machine the report describes
 * @param flopPerImage ResNet-50's floating-point operations per 224x224 image
 */
record ReportData(
    BenchmarkResults results,
    Properties run,
    Properties agreement,
    MachineInfo machine,
    double flopPerImage) {
  static final String INFER = "InferenceBenchmark.infer";
  static final String DEFAULT_ONEDNN = "default";

  /**
   * The oneDNN labels of the processes: {@code TF_ENABLE_ONEDNN_OPTS} unset, 0 and 1. The two
   * explicit settings are the ones a default is compared with.
   */
  static final List<String> ONEDNN = List.of(DEFAULT_ONEDNN, "off", "on");

  static final List<String> EXPLICIT = List.of("off", "on");
  static final List<Integer> BATCHES = List.of(1, 8, 32);
  static final String DJL = "DjlBenchmark.infer";

  /**
   * ResNet-50's floating-point operations per image: 2 x the multiply-adds {@link ModelSummarizer}
   * counts.
   */
  static double resNet50FlopPerImage() {
    return 2.0
        * ModelSummarizer.summarizeArchitecture(
                50, BenchImages.CLASSES, BenchImages.SIDE, DataFormat.CHANNELS_LAST)
            .multiplyAdds();
  }

  /** The label whose processes ran what {@code scripts/resnet predict|serve} runs. */
  String launcher() {
    return run.getProperty("oneDnnLauncherPredict", "off");
  }

  /** The batch sizes the Classifier was measured at in this run (a bounded run skips 32). */
  List<Integer> measuredBatches() {
    return BATCHES.stream()
        .filter(
            batch ->
                ONEDNN.stream()
                    .anyMatch(
                        label ->
                            Arrays.stream(ExportVariant.values())
                                .anyMatch(
                                    model -> classifierImages(label, model, batch).isPresent())))
        .toList();
  }

  /** One cell per oneDNN label, in {@link #ONEDNN} order. */
  static List<String> perLabel(Function<String, String> cell) {
    return ONEDNN.stream().map(cell).toList();
  }

  /** Steps per second of {@code resnet train} in the {@code oneDnn} processes. */
  Optional<Measurement> trainSteps(String oneDnn) {
    return results.find(oneDnn, TrainCommandSteps.BENCHMARK, Map.of());
  }

  /** Images per second of DJL's ResNetV1-50 at {@code batch}. */
  Optional<Measurement> djlImages(int batch) {
    return results
        .find(DEFAULT_ONEDNN, DJL, Map.of("batch", Integer.toString(batch)))
        .map(m -> m.times(batch));
  }

  /** Milliseconds to build a ResNet of {@code depth}, formatted; "-" where not measured. */
  String constructionMillis(int depth, DataFormat format) {
    return results
        .find(
            DEFAULT_ONEDNN,
            "GraphConstructionBenchmark.build",
            Map.of("depth", Integer.toString(depth), "format", format.name()))
        .map(m -> format(m.millisPerOp(), "%.0f"))
        .orElse("-");
  }

  /** The raw {@code InferenceBenchmark.infer} measurement of one configuration (calls/s). */
  Optional<Measurement> infer(
      String oneDnn, ExportVariant model, int batch, Api api, Settings settings) {
    return results.find(oneDnn, INFER, inferenceParams(model, batch, api, settings));
  }

  /** The JMH parameters of one {@code InferenceBenchmark} configuration. */
  static Map<String, String> inferenceParams(
      ExportVariant model, int batch, Api api, Settings settings) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("model", model.name());
    params.put("batch", Integer.toString(batch));
    params.put("api", api.name());
    params.put("settings", settings.name());
    return params;
  }

  /** Images per second of the Classifier alone, with {@code SessionConfig.defaults()}. */
  Optional<Measurement> classifierImages(String oneDnn, ExportVariant model, int batch) {
    return classifierImages(oneDnn, model, batch, Settings.LIBRARY);
  }

  Optional<Measurement> classifierImages(
      String oneDnn, ExportVariant model, int batch, Settings settings) {
    return infer(oneDnn, model, batch, Api.CLASSIFIER, settings).map(m -> m.times(batch));
  }

  /** Images per second of the raw session calls of the paired runs. */
  Optional<Measurement> sessionImages(String oneDnn, ExportVariant model, int batch) {
    return results.derive(
        oneDnn,
        INFER,
        pairedParams(model, batch),
        metrics -> batch * metrics.get("pairs") * 1e9 / metrics.get("sessionNanos"));
  }

  /** Classifier time over raw session time, call by call in the paired runs. */
  Optional<Measurement> overheadRatio(String oneDnn, ExportVariant model, int batch) {
    return results.derive(
        oneDnn,
        INFER,
        pairedParams(model, batch),
        metrics -> metrics.get("classifierNanos") / metrics.get("sessionNanos"));
  }

  /** The parameters of the paired Classifier/raw-session runs. */
  static Map<String, String> pairedParams(ExportVariant model, int batch) {
    return inferenceParams(model, batch, Api.PAIRED, Settings.LIBRARY);
  }

  /** Matrix products per second of the MatMul ceiling benchmark. */
  Optional<Measurement> matMulProducts(String oneDnn) {
    return results.find(
        oneDnn, "MatMulBenchmark.multiply", Map.of("n", Integer.toString(MatMulBenchmark.SIDE)));
  }

  /** The MatMul ceiling in GFLOP/s ({@code 2 n^3} per product). */
  Optional<Measurement> matMulGflops(String oneDnn) {
    double side = MatMulBenchmark.SIDE;
    return matMulProducts(oneDnn).map(m -> m.times(2 * side * side * side / 1e9));
  }

  /** {@link ExportAgreement}'s outcome for {@code comparison} as a table cell with its verdict. */
  String agreement(String comparison) {
    String refused = agreement.getProperty(comparison + ".refused");
    if (refused != null) {
      return "refused when the Classifier loaded (it serves float32): " + refused + verdict(true);
    }
    String same = agreement.getProperty(comparison + ".sameTopClass");
    String images = agreement.getProperty(comparison + ".images");
    if (same == null || images == null) {
      return "not measured";
    }
    return same
        + " / "
        + images
        + " (largest probability difference "
        + agreement.getProperty(comparison + ".maxProbabilityDifference", "?")
        + ")"
        + verdict(same.equals(images));
  }
}
