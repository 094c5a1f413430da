package io.github.resnetjava.bench;

import io.github.resnetjava.bench.InferenceBenchmark.Api;
import io.github.resnetjava.bench.InferenceBenchmark.Settings;
import io.github.resnetjava.model.DataFormat;
import io.github.resnetjava.model.ResNetModel;
import io.github.resnetjava.summary.ModelSummarizer;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Turns a {@link BenchmarkSuite} results file into the section of {@code docs/benchmarks.md} that
 * {@code scripts/bench.sh} owns (it splices the section in between its markers): the machine, the
 * targets of the speed work and whether this run met them, and one table per benchmark.
 *
 * <p>ResNet-50's GFLOP/s are {@code 2 x} the multiply-adds per image that {@link ModelSummarizer}
 * counts, times images per second; the MatMul's are {@code 2 n^3} per product.
 */
public final class BenchmarkReport {
  private static final String INFER = "InferenceBenchmark.infer";
  private static final String DEFAULT_ONEDNN = "default";

  /**
   * The oneDNN labels of the processes: {@code TF_ENABLE_ONEDNN_OPTS} unset, 0 and 1. The two
   * explicit settings are the ones a default is compared with.
   */
  private static final List<String> ONEDNN = List.of(DEFAULT_ONEDNN, "off", "on");

  private static final List<String> EXPLICIT = List.of("off", "on");
  private static final List<Integer> BATCHES = List.of(1, 8, 32);
  private static final String DJL = "DjlBenchmark.infer";

  /** Verdict levels, worst first. */
  private static final int NOT_MET = 0;

  private static final int WITHIN_ERROR = 1;
  private static final int MET = 2;

  private final BenchmarkResults results;
  private final Properties run;
  private final Properties agreement;
  private final MachineInfo machine;
  private final double flopPerImage;
  private final StringBuilder out = new StringBuilder();

  private BenchmarkReport(
      BenchmarkResults results, Properties run, Properties agreement, MachineInfo machine) {
    this.results = results;
    this.run = run;
    this.agreement = agreement;
    this.machine = machine;
    this.flopPerImage =
        2.0
            * ModelSummarizer.summarizeArchitecture(
                    50, BenchImages.CLASSES, BenchImages.SIDE, DataFormat.CHANNELS_LAST)
                .multiplyAdds();
  }

  /**
   * Entry point: {@code --results FILE --run FILE --agreement FILE --output FILE}. The run file
   * holds what {@code scripts/bench.sh} recorded: {@code finished}, {@code minutes}, {@code
   * rounds}, {@code schedule}, {@code oneDnnDefault}, {@code loadBefore}, {@code loadDuring},
   * {@code loadAfter}; the agreement file is {@link ExportAgreement}'s.
   */
  public static void main(String[] args) throws IOException {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    BenchmarkReport report =
        new BenchmarkReport(
            BenchmarkResults.read(Path.of(options.get("results"))),
            properties(Path.of(options.get("run"))),
            properties(Path.of(options.get("agreement"))),
            MachineInfo.current());
    Path output = Path.of(options.get("output"));
    Files.writeString(output, report.render(), StandardCharsets.UTF_8);
    System.out.println("Wrote " + output);
  }

  private String render() {
    header();
    defaultTargets();
    targets();
    inference();
    speedWork();
    matMul();
    trainCommand();
    peers();
    construction();
    savedModel();
    transfer();
    training();
    return out.toString();
  }

  /** Column title of a oneDNN label. */
  private static String title(String oneDnn) {
    return switch (oneDnn) {
      case DEFAULT_ONEDNN -> "unset (a host JVM's default, the library's choice)";
      case "off" -> "`TF_ENABLE_ONEDNN_OPTS=0`";
      default -> "`TF_ENABLE_ONEDNN_OPTS=1`";
    };
  }

  /** The label whose processes ran what {@code scripts/resnet predict|serve} runs. */
  private String launcher() {
    return run.getProperty("oneDnnLauncherPredict", "off");
  }

  /**
   * Issue 8's targets: the defaults (a host JVM that sets nothing, and {@code scripts/resnet})
   * against the best explicit oneDNN setting, the MatMul ceiling, training, bfloat16, DJL and the
   * optimized export's memory.
   */
  private void defaultTargets() {
    String launcher = launcher();
    out.append("## Targets: fast and correct by default\n\n")
        .append("\"Best\" is the faster of `TF_ENABLE_ONEDNN_OPTS=0` and `=1` in this run. Two")
        .append(" defaults: a host JVM that sets nothing, measured in its own processes, where")
        .append(" the library chooses (`OneDnnPolicy`: `Classifier.load` sets")
        .append(" `TF_ENABLE_ONEDNN_OPTS=0` before TensorFlow loads; TensorFlow's own choice is")
        .append(" oneDNN ")
        .append(run.getProperty("oneDnnDefault"))
        .append(" on this CPU), and `scripts/resnet predict|serve`, the same policy (this run")
        .append(" checked that its predict ran with oneDNN ")
        .append(launcher)
        .append("), whose figures are the `")
        .append(launcher.equals("on") ? "=1" : "=0")
        .append("` processes'. `resnet")
        .append(" train` and the `Trainer` keep TensorFlow's choice, so both defaults train")
        .append(" alike.\n\n");
    MarkdownTable table =
        new MarkdownTable("target", "host JVM (unset)", "`scripts/resnet` (predict/serve: `=0`)");
    for (ExportVariant model : ExportVariant.values()) {
      for (int batch : List.of(1, 8)) {
        table.row(
            "Classifier >= 0.95 x best, " + label(model) + ", batch " + batch,
            versusBest(DEFAULT_ONEDNN, model, batch),
            versusBest(launcher, model, batch));
      }
    }
    for (ExportVariant model : ExportVariant.values()) {
      table.row(
          "batch 8 >= 60% of the best MatMul GFLOP/s, " + label(model),
          ofBestCeiling(DEFAULT_ONEDNN, model),
          ofBestCeiling(launcher, model));
    }
    String train = trainVersusBest();
    table.row("`resnet train` step time >= 0.95 x best (as steps/s)", train, train);
    String bfloat16 = agreement("bfloat16");
    table.row(
        "bfloat16: float32's top-1 on 100 images, probabilities within 0.06, or refused",
        bfloat16 + " (oneDNN " + run.getProperty("oneDnnDefault") + ")",
        launcher.equals("on")
            ? bfloat16
            : "bfloat16 needs oneDNN: `SessionConfig.withBfloat16` has no effect with it off");
    for (int batch : List.of(1, 8)) {
      table.row(
          "Classifier >= 1.5 x DJL, batch " + batch,
          versusDjl(DEFAULT_ONEDNN, batch),
          versusDjl(launcher, batch));
    }
    table.row(
        "optimized export's peak RSS <= 1.3 x the plain one's (Classifier, batch 8)",
        rssRatio(DEFAULT_ONEDNN),
        rssRatio(launcher));
    out.append(table.render()).append('\n');
  }

  private String versusBest(String oneDnn, ExportVariant model, int batch) {
    Optional<Measurement> measured = classifierImages(oneDnn, model, batch);
    Optional<Measurement> best =
        best(EXPLICIT.stream().map(label -> classifierImages(label, model, batch)).toList());
    return both(measured, best)
        .map(
            r ->
                format(measured.get(), "%.2f")
                    + " images/s = "
                    + format(r, "%.2f")
                    + " x best ("
                    + bestLabel(model, batch)
                    + ", "
                    + format(best.get(), "%.2f")
                    + ")"
                    + verdict(level(r, 0.95, true)))
        .orElse("not measured");
  }

  private String bestLabel(ExportVariant model, int batch) {
    double off = classifierImages("off", model, batch).map(Measurement::mean).orElse(0.0);
    double on = classifierImages("on", model, batch).map(Measurement::mean).orElse(0.0);
    return on > off ? "`=1`" : "`=0`";
  }

  private String ofBestCeiling(String oneDnn, ExportVariant model) {
    Optional<Measurement> gflops =
        classifierImages(oneDnn, model, 8).map(m -> m.times(flopPerImage / 1e9));
    Optional<Measurement> ceiling = best(ONEDNN.stream().map(this::matMulGflops).toList());
    return both(gflops, ceiling)
        .map(
            r ->
                format(gflops.get(), "%.0f")
                    + " GFLOP/s = "
                    + percent(r, 0)
                    + " of "
                    + String.format(Locale.ROOT, "%.0f", ceiling.get().mean())
                    + verdict(level(r, 0.60, true)))
        .orElse("not measured");
  }

  private String trainVersusBest() {
    Optional<Measurement> measured = trainSteps(DEFAULT_ONEDNN);
    Optional<Measurement> best = best(EXPLICIT.stream().map(this::trainSteps).toList());
    return both(measured, best)
        .map(
            r ->
                format(measured.get().millisPerOp(), "%.0f")
                    + " ms per step = "
                    + format(r, "%.2f")
                    + " x best ("
                    + format(best.get().millisPerOp(), "%.0f")
                    + " ms)"
                    + verdict(level(r, 0.95, true)))
        .orElse("not measured");
  }

  private String rssRatio(String oneDnn) {
    Optional<Measurement> plain = classifierImages(oneDnn, ExportVariant.PLAIN, 8);
    Optional<Measurement> optimized = classifierImages(oneDnn, ExportVariant.OPTIMIZED, 8);
    if (plain.isEmpty()
        || optimized.isEmpty()
        || plain.get().peakRssKib() <= 0
        || optimized.get().peakRssKib() <= 0) {
      return "not measured";
    }
    double ratio = (double) optimized.get().peakRssKib() / plain.get().peakRssKib();
    return gib(optimized.get().peakRssKib())
        + " / "
        + gib(plain.get().peakRssKib())
        + " = "
        + String.format(Locale.ROOT, "%.2f", ratio)
        + " x"
        + verdict(ratio <= 1.3);
  }

  /** The batch sizes the Classifier was measured at in this run (a bounded run skips 32). */
  private List<Integer> measuredBatches() {
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
  private static List<String> perLabel(Function<String, String> cell) {
    return ONEDNN.stream().map(cell).toList();
  }

  /** A table row: the leading cells, then {@code rest}. */
  private static String[] cells(List<String> rest, String... leading) {
    return Stream.concat(Stream.of(leading), rest.stream()).toArray(String[]::new);
  }

  /** The measurement with the highest mean; empty if none is present. */
  private static Optional<Measurement> best(List<Optional<Measurement>> candidates) {
    return candidates.stream()
        .flatMap(Optional::stream)
        .max((a, b) -> Double.compare(a.mean(), b.mean()));
  }

  private Optional<Measurement> trainSteps(String oneDnn) {
    return results.find(oneDnn, TrainCommandSteps.BENCHMARK, Map.of());
  }

  private Optional<Measurement> djlImages(int batch) {
    return results
        .find(DEFAULT_ONEDNN, DJL, Map.of("batch", Integer.toString(batch)))
        .map(m -> m.times(batch));
  }

  private void trainCommand() {
    out.append("## `resnet train`, oneDNN off and on\n\n");
    if (trainSteps(DEFAULT_ONEDNN).isEmpty()) {
      out.append("Not measured in this run.\n\n");
      return;
    }
    out.append("`scripts/resnet train synthetic --depth 18 --image-size 32 --batch 64 --steps ")
        .append(run.getProperty("trainSteps", "?"))
        .append("` (640 synthetic images), one")
        .append(" process per setting and round, through the launcher as a user runs it.")
        .append(" Steps per second: the median, over the second half of the steps, of the")
        .append(" smoothed throughput the training loop writes to `metrics.csv` (evaluation and")
        .append(" checkpoints excluded), one value per run.\n\n");
    Optional<Measurement> best = best(EXPLICIT.stream().map(this::trainSteps).toList());
    MarkdownTable table =
        new MarkdownTable("TF_ENABLE_ONEDNN_OPTS", "steps/s", "ms per step", "of the best");
    for (String oneDnn : ONEDNN) {
      Optional<Measurement> steps = trainSteps(oneDnn);
      table.row(
          title(oneDnn),
          steps.map(m -> format(m, "%.2f")).orElse("-"),
          steps.map(m -> format(m.millisPerOp(), "%.0f")).orElse("-"),
          both(steps, best).map(r -> format(r, "%.2f") + " x").orElse("-"));
    }
    out.append(table.render()).append('\n');
  }

  private void header() {
    out.append("Written by `scripts/bench.sh` on ")
        .append(run.getProperty("finished"))
        .append(" (a ")
        .append(run.getProperty("minutes"))
        .append("-minute run); rerun the")
        .append(" script rather than editing this section. JMH 1.37, throughput mode, one JVM fork")
        .append(" per configuration, ")
        .append(run.getProperty("schedule"))
        .append(". The")
        .append(" ResNet-50 inference configurations ran in ")
        .append(run.getProperty("rounds"))
        .append(" interleaved rounds, one process per setting of `TF_ENABLE_ONEDNN_OPTS` (unset,")
        .append(" 0, 1), rotating the order of the settings and of the exports.")
        .append(
            Boolean.parseBoolean(run.getProperty("full", "true"))
                ? ""
                : " A bounded run (`--bounded`): batch 32, the raw-session overhead, TensorFlow's"
                    + " default threads and bfloat16 throughput were not measured.")
        .append(" Numbers are means over every measured iteration; ± is the ")
        .append(Math.round(BenchmarkResults.CONFIDENCE * 100))
        .append("% confidence half-width (Student's t; JMH's console output shows 99.9%), and")
        .append(" ratios carry both errors. Ratios measured side by side are what count:")
        .append(" absolute numbers move with the machine's load.\n\n");
    out.append(
        new MarkdownTable("machine", "")
            .row(
                "CPU",
                machine.cpuModel()
                    + ", "
                    + machine.cores()
                    + " cores ("
                    + machine.vectorFlags()
                    + ")")
            .row("memory", machine.memoryGib() + " GiB")
            .row("JVM", machine.jvm())
            .row("TensorFlow", machine.tensorFlow())
            .row(
                "oneDNN by default",
                run.getProperty("oneDnnDefault")
                    + " (TensorFlow turns it on"
                    + " for CPUs with AVX512-VNNI, AVX512-BF16 or AMX; `TF_ENABLE_ONEDNN_OPTS=0/1`"
                    + " overrides)")
            .row(
                "load average, 1 min",
                "before "
                    + run.getProperty("loadBefore")
                    + "; during: "
                    + run.getProperty("loadDuring")
                    + "; after "
                    + run.getProperty("loadAfter"))
            .render());
    out.append("\nThe benchmarks themselves keep about ")
        .append(machine.cores())
        .append(" threads busy: a load average well above that means other processes competed")
        .append(" for the CPU.\n\n");
  }

  private void targets() {
    out.append("## Earlier targets (the speed-work issue)\n\n");
    MarkdownTable table =
        new MarkdownTable(
            "target", title(ONEDNN.get(0)), title(ONEDNN.get(1)), title(ONEDNN.get(2)));
    table.row(
        cells(
            perLabel(label -> overhead(label, 8, 0.02)),
            "Classifier overhead vs raw session, batch 8: <= 2%"));
    table.row(
        cells(
            perLabel(label -> overhead(label, 1, 0.05)),
            "Classifier overhead vs raw session, batch 1: <= 5%"));
    table.row(
        cells(
            perLabel(label -> ofCeiling(label, ExportVariant.PLAIN, 0.75)),
            "batch 8 >= 75% of MatMul GFLOP/s (same setting), plain export"));
    table.row(
        cells(
            perLabel(label -> ofCeiling(label, ExportVariant.OPTIMIZED, 0.85)),
            "batch 8 >= 85% of MatMul GFLOP/s (same setting), optimized export"));
    table.row(
        cells(
            perLabel(label -> speedUp(label, 8, 1.15)),
            "`--optimize` >= 1.15 x the plain export, batch 8"));
    out.append(table.render()).append('\n');
    out.append(
            new MarkdownTable("target", "measured (TensorFlow's default oneDNN setting)")
                .row("same top-1 on 100 images, optimized vs plain export", agreement("optimized"))
                .row("ResNet-200 graph construction < 1 s", construction200())
                .row("ResNet-50 SavedModel load (`Classifier.load`) < 2 s", loadTarget())
                .render())
        .append('\n');
  }

  private void inference() {
    out.append("## ResNet-50 inference, 224x224\n\n")
        .append("Images per second through `Classifier.classify(float[], batch, 5)`, in a process")
        .append(" serving nothing else, and through a raw")
        .append(" `session.runner().feed(input).fetch(probabilities).run()` with the same bulk")
        .append(" copies on the Classifier's own session (`Classifier.savedModel()`). The raw")
        .append(" figure and the overhead come from a second process that alternates the two,")
        .append(" call by call, and times each: overhead = Classifier time / raw session time - 1,")
        .append(" which neither the model's memory layout nor a machine slowing down for a while")
        .append(" can tilt. GFLOP/s count ")
        .append(String.format(Locale.ROOT, "%.2f", flopPerImage / 1e9))
        .append(" GFLOP per image (2 x the multiply-adds of `resnet summary --depth 50`).")
        .append(" Peak RSS is the VmHWM of the fork that loaded the model and served it.\n\n");
    for (String oneDnn : ONEDNN) {
      Optional<Measurement> ceiling = matMulGflops(oneDnn);
      out.append("### ")
          .append(title(oneDnn))
          .append(", MatMul ceiling ")
          .append(ceiling.map(m -> format(m, "%.0f") + " GFLOP/s").orElse("not measured"))
          .append("\n\n");
      MarkdownTable table =
          new MarkdownTable(
              "export",
              "batch",
              "Classifier images/s",
              "raw session images/s",
              "Classifier overhead",
              "GFLOP/s",
              "of MatMul",
              "peak RSS (Classifier)");
      for (ExportVariant model : ExportVariant.values()) {
        for (int batch : measuredBatches()) {
          Optional<Measurement> classifier = classifierImages(oneDnn, model, batch);
          Optional<Measurement> gflops = classifier.map(m -> m.times(flopPerImage / 1e9));
          table.row(
              label(model),
              Integer.toString(batch),
              classifier.map(m -> format(m, "%.2f")).orElse("-"),
              sessionImages(oneDnn, model, batch).map(m -> format(m, "%.2f")).orElse("-"),
              overheadRatio(oneDnn, model, batch).map(r -> percent(r, -1)).orElse("-"),
              gflops.map(m -> format(m, "%.0f")).orElse("-"),
              both(gflops, ceiling).map(r -> percent(r, 0)).orElse("-"),
              classifier.map(m -> gib(m.peakRssKib())).orElse("-"));
        }
      }
      out.append(table.render()).append('\n');
    }
  }

  private void speedWork() {
    out.append("## Speed work, before and after\n\n");
    out.append("Throughput after the change over throughput before it, Classifier, measured in")
        .append(" the same rounds. `--optimize` freezes the weights into constants and folds the")
        .append(" conv/batch-norm pairs; the benchmark's ResNet-50 has seed-42 kernels with")
        .append(" trained-like biases and batch-norm statistics (`BenchModelExport`), because")
        .append(" fresh ones (zero biases, identity batch norms) let grappler delete the folded")
        .append(" biases and with them the fused ReLUs. The optimized export's peak RSS is in the")
        .append(" tables above.\n\n");
    MarkdownTable table =
        new MarkdownTable(
            "change",
            "measured on",
            title(ONEDNN.get(0)),
            title(ONEDNN.get(1)),
            title(ONEDNN.get(2)));
    for (int batch : measuredBatches()) {
      table.row(
          cells(
              perLabel(
                  label ->
                      ratio(
                          classifierImages(label, ExportVariant.OPTIMIZED, batch),
                          classifierImages(label, ExportVariant.PLAIN, batch))),
              batch == 1 ? "`export --optimize` vs plain export" : "",
              "batch " + batch));
    }
    table.row(
        cells(
            perLabel(
                label ->
                    ratio(
                        classifierImages(label, ExportVariant.PLAIN, 8),
                        classifierImages(label, ExportVariant.PLAIN, 8, Settings.TENSORFLOW))),
            "`SessionConfig.defaults()` (intra-op = "
                + machine.cores()
                + ", inter-op = 2)"
                + " vs TensorFlow's default threads",
            "plain export, batch 8"));
    for (int batch : List.of(1, 8)) {
      table.row(
          cells(
              perLabel(label -> bfloat16Speed(label, batch)),
              batch == 1 ? "`SessionConfig.withBfloat16(true)` vs float32" : "",
              "optimized export, batch " + batch));
    }
    out.append(table.render()).append('\n');
    out.append("bfloat16 against float32, both on the optimized export, 100 images (TensorFlow's")
        .append(" default oneDNN setting, ")
        .append(run.getProperty("oneDnnDefault"))
        .append("), top-1 agreement: ")
        .append(agreement("bfloat16"))
        .append(".\n\n");
    MarkdownTable oneDnn =
        new MarkdownTable("export", "batch", "`=1` / `=0`", "unset / `=0`", "unset / `=1`");
    for (ExportVariant model : ExportVariant.values()) {
      for (int batch : measuredBatches()) {
        oneDnn.row(
            label(model),
            Integer.toString(batch),
            ratio(classifierImages("on", model, batch), classifierImages("off", model, batch)),
            ratio(
                classifierImages(DEFAULT_ONEDNN, model, batch),
                classifierImages("off", model, batch)),
            ratio(
                classifierImages(DEFAULT_ONEDNN, model, batch),
                classifierImages("on", model, batch)));
      }
    }
    out.append(oneDnn.render()).append('\n');
  }

  /**
   * bfloat16 over float32 throughput where bfloat16 really ran; a fork whose Classifier refused
   * bfloat16 at load measured float32, and says so instead of a ratio.
   */
  private String bfloat16Speed(String oneDnn, int batch) {
    Map<String, String> params =
        inferenceParams(ExportVariant.OPTIMIZED, batch, Api.CLASSIFIER, Settings.BFLOAT16);
    Optional<Measurement> refused =
        results.derive(
            oneDnn, INFER, params, metrics -> metrics.getOrDefault("bfloat16Refused", 0.0));
    if (refused.isEmpty()) {
      return "not run";
    }
    if (refused.get().mean() > 0) {
      return "refused at load (the Classifier served float32): no bfloat16 figure";
    }
    return ratio(
        classifierImages(oneDnn, ExportVariant.OPTIMIZED, batch, Settings.BFLOAT16),
        classifierImages(oneDnn, ExportVariant.OPTIMIZED, batch));
  }

  private void matMul() {
    out.append("## MatMul ceiling\n\n")
        .append("One ")
        .append(MatMulBenchmark.SIDE)
        .append('x')
        .append(MatMulBenchmark.SIDE)
        .append(" float32 `MatMul` on variables per operation, ")
        .append("measured in the same rounds as the batch-8 inference.\n\n");
    MarkdownTable table = new MarkdownTable("TF_ENABLE_ONEDNN_OPTS", "products/s", "GFLOP/s");
    for (String oneDnn : ONEDNN) {
      Optional<Measurement> products = matMul(oneDnn);
      table.row(
          title(oneDnn),
          products.map(m -> format(m, "%.2f")).orElse("-"),
          matMulGflops(oneDnn).map(m -> format(m, "%.0f")).orElse("-"));
    }
    out.append(table.render()).append('\n');
  }

  private void construction() {
    out.append("## Graph construction\n\n")
        .append("`new Graph()`, a 224x224 placeholder and `modelLayers` with 1000 classes, then")
        .append(" `close()`: milliseconds per graph.\n\n");
    MarkdownTable table = new MarkdownTable("depth", "channels_last ms", "channels_first ms");
    for (int depth : ResNetModel.BLOCK_LAYER_SIZES.keySet()) {
      table.row(
          Integer.toString(depth),
          constructionMillis(depth, DataFormat.CHANNELS_LAST),
          constructionMillis(depth, DataFormat.CHANNELS_FIRST));
    }
    out.append(table.render()).append('\n');
  }

  private void savedModel() {
    out.append("## SavedModel export and load, ResNet-50\n\n")
        .append("Export of a built, initialized model (the optimized one reads the weights and")
        .append(" builds the frozen, folded graph first); `Classifier.load` and `close`; the")
        .append(" same plus the first classification of one image, when TensorFlow optimizes")
        .append(" the graph: the time to the first answer. Seconds per operation, repeated in one")
        .append(" JVM with the files in the page cache; the first load in a process also pays")
        .append(" TensorFlow's one-time start-up, about a second more.\n\n");
    MarkdownTable table =
        new MarkdownTable("export", "size on disk", "export s", "load s", "load + first image s");
    for (ExportVariant model : ExportVariant.values()) {
      Map<String, String> params = Map.of("model", model.name());
      table.row(
          label(model),
          megabytes(model.modelDir()),
          seconds(results.find(DEFAULT_ONEDNN, "ExportBenchmark.export", params)),
          seconds(results.find(DEFAULT_ONEDNN, "LoadBenchmark.load", params)),
          seconds(results.find(DEFAULT_ONEDNN, "LoadBenchmark.loadAndClassify", params)));
    }
    out.append(table.render()).append('\n');
  }

  private void transfer() {
    out.append("## Tensor transfer\n\n")
        .append("What the Classifier does around the session run: allocate the input tensor and")
        .append(" bulk-copy a `float[]` batch into it, and copy the `[batch, 1000]`")
        .append(" probabilities out.\n\n");
    MarkdownTable table =
        new MarkdownTable("batch", "fill input µs", "fill GB/s", "read output µs");
    for (int batch : BATCHES) {
      Map<String, String> params = Map.of("batch", Integer.toString(batch));
      Optional<Measurement> fill =
          results.find(DEFAULT_ONEDNN, "TensorTransferBenchmark.fillInput", params);
      double bytes = 4.0 * batch * BenchImages.SIDE * BenchImages.SIDE * BenchImages.CHANNELS;
      table.row(
          Integer.toString(batch),
          fill.map(m -> format(m.millisPerOp().times(1000), "%.1f")).orElse("-"),
          fill.map(m -> format(m.times(bytes / 1e9), "%.1f")).orElse("-"),
          results
              .find(DEFAULT_ONEDNN, "TensorTransferBenchmark.readOutput", params)
              .map(m -> format(m.millisPerOp().times(1000), "%.2f"))
              .orElse("-"));
    }
    out.append(table.render()).append('\n');
  }

  private void training() {
    out.append("## Training step\n\n");
    Optional<Measurement> steps =
        results.find(DEFAULT_ONEDNN, "TrainingStepBenchmark.step", Map.of());
    if (steps.isEmpty()) {
      out.append("Not measured in this run.\n\n");
      return;
    }
    out.append("`Trainer.step` of a ResNet-18 on 64x64 images, batch 32, 10 classes (forward,")
        .append(" loss, backward, momentum update, moving statistics).\n\n")
        .append(
            new MarkdownTable("steps/s", "images/s", "ms per step")
                .row(
                    format(steps.get(), "%.2f"),
                    format(steps.get().times(32), "%.1f"),
                    format(steps.get().millisPerOp(), "%.0f"))
                .render())
        .append('\n');
  }

  private void peers() {
    out.append("## Against DJL, side by side\n\n")
        .append("DJL 0.36 with PyTorch 2.7.1 (CPU), its model zoo's ResNetV1-50 with random")
        .append(" weights, through a `Predictor<float[], float[]>` whose translator makes the")
        .append(" input array in its context and returns the softmax (`DjlBenchmark`), in the same")
        .append(" rounds and with the same protocol as the Classifier rows: one JMH fork per")
        .append(" configuration, a warm-up batch, 1 warm-up and 2 measured 3-s iterations per")
        .append(" round. Threads: PyTorch intra-op and inter-op ")
        .append(DjlBenchmark.THREADS)
        .append(" (`ai.djl.pytorch.num_threads`, `num_interop_threads`), TensorFlow intra-op ")
        .append(machine.cores())
        .append(" and inter-op 2 (`SessionConfig.defaults()`): both use")
        .append(" the machine's ")
        .append(machine.cores())
        .append(" cores. DJL ran in the")
        .append(" processes that leave `TF_ENABLE_ONEDNN_OPTS` unset; PyTorch does not read")
        .append(" it. ResNet-50 v1 and v2 have the same convolutions (v2 moves the batch norms")
        .append(" and ReLUs before them).\n\n");
    MarkdownTable table = new MarkdownTable("stack", "batch 1 images/s", "batch 8 images/s");
    for (String oneDnn : List.of(DEFAULT_ONEDNN, launcher())) {
      for (ExportVariant model : ExportVariant.values()) {
        String who =
            oneDnn.equals(DEFAULT_ONEDNN)
                ? "host JVM default (unset)"
                : "`scripts/resnet` default (`=0`)";
        table.row(
            "resnet-java ResNet-50 v2, " + label(model) + " export, Classifier, " + who,
            classifierImages(oneDnn, model, 1).map(m -> format(m, "%.2f")).orElse("-"),
            classifierImages(oneDnn, model, 8).map(m -> format(m, "%.2f")).orElse("-"));
      }
    }
    table.row(
        "DJL 0.36, PyTorch 2.7.1, ResNetV1-50",
        djlImages(1).map(m -> format(m, "%.2f")).orElse("-"),
        djlImages(8).map(m -> format(m, "%.2f")).orElse("-"));
    out.append(table.render()).append('\n');
  }

  private String overhead(String oneDnn, int batch, double limit) {
    List<String> parts = new ArrayList<>();
    int level = MET;
    for (ExportVariant model : ExportVariant.values()) {
      Optional<Measurement> overhead = overheadRatio(oneDnn, model, batch);
      if (overhead.isEmpty()) {
        return "not measured";
      }
      parts.add(label(model) + " " + percent(overhead.get(), -1));
      level = Math.min(level, level(overhead.get(), 1 + limit, false));
    }
    return String.join(", ", parts) + verdict(level);
  }

  private String versusDjl(String oneDnn, int batch) {
    List<String> parts = new ArrayList<>();
    int level = MET;
    for (ExportVariant model : ExportVariant.values()) {
      Optional<Measurement> ratio = both(classifierImages(oneDnn, model, batch), djlImages(batch));
      if (ratio.isEmpty()) {
        return "not measured";
      }
      parts.add(label(model) + " " + format(ratio.get(), "%.2f") + " x");
      level = Math.min(level, level(ratio.get(), 1.5, true));
    }
    return String.join(", ", parts)
        + " (DJL "
        + format(djlImages(batch).get(), "%.2f")
        + " images/s)"
        + verdict(level);
  }

  private String ofCeiling(String oneDnn, ExportVariant model, double fraction) {
    Optional<Measurement> gflops =
        classifierImages(oneDnn, model, 8).map(m -> m.times(flopPerImage / 1e9));
    return both(gflops, matMulGflops(oneDnn))
        .map(
            r ->
                format(gflops.get(), "%.0f")
                    + " GFLOP/s = "
                    + percent(r, 0)
                    + " of MatMul's "
                    + String.format(Locale.ROOT, "%.0f", matMulGflops(oneDnn).get().mean())
                    + verdict(level(r, fraction, true)))
        .orElse("not measured");
  }

  private String speedUp(String oneDnn, int batch, double target) {
    return both(
            classifierImages(oneDnn, ExportVariant.OPTIMIZED, batch),
            classifierImages(oneDnn, ExportVariant.PLAIN, batch))
        .map(r -> format(r, "%.2f") + " x" + verdict(level(r, target, true)))
        .orElse("not measured");
  }

  private String agreement(String comparison) {
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

  private String construction200() {
    return results
        .find(
            DEFAULT_ONEDNN,
            "GraphConstructionBenchmark.build",
            Map.of("depth", "200", "format", DataFormat.CHANNELS_LAST.name()))
        .map(
            m ->
                format(m.millisPerOp(), "%.0f")
                    + " ms (channels_last)"
                    + verdict(m.millisPerOp().mean() < 1000))
        .orElse("not measured");
  }

  private String loadTarget() {
    List<String> parts = new ArrayList<>();
    boolean met = true;
    for (ExportVariant model : ExportVariant.values()) {
      Optional<Measurement> load =
          results.find(DEFAULT_ONEDNN, "LoadBenchmark.load", Map.of("model", model.name()));
      if (load.isEmpty()) {
        return "not measured";
      }
      Measurement seconds = load.get().millisPerOp().times(1e-3);
      parts.add(label(model) + " " + format(seconds, "%.2f") + " s");
      met &= seconds.mean() < 2;
    }
    return String.join(", ", parts) + verdict(met);
  }

  private String constructionMillis(int depth, DataFormat format) {
    return results
        .find(
            DEFAULT_ONEDNN,
            "GraphConstructionBenchmark.build",
            Map.of("depth", Integer.toString(depth), "format", format.name()))
        .map(m -> format(m.millisPerOp(), "%.0f"))
        .orElse("-");
  }

  private Optional<Measurement> infer(
      String oneDnn, ExportVariant model, int batch, Api api, Settings settings) {
    return results.find(oneDnn, INFER, inferenceParams(model, batch, api, settings));
  }

  private static Map<String, String> inferenceParams(
      ExportVariant model, int batch, Api api, Settings settings) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("model", model.name());
    params.put("batch", Integer.toString(batch));
    params.put("api", api.name());
    params.put("settings", settings.name());
    return params;
  }

  /** Images per second of the Classifier alone, with {@code SessionConfig.defaults()}. */
  private Optional<Measurement> classifierImages(String oneDnn, ExportVariant model, int batch) {
    return classifierImages(oneDnn, model, batch, Settings.LIBRARY);
  }

  private Optional<Measurement> classifierImages(
      String oneDnn, ExportVariant model, int batch, Settings settings) {
    return infer(oneDnn, model, batch, Api.CLASSIFIER, settings).map(m -> m.times(batch));
  }

  /** Images per second of the raw session calls of the paired runs. */
  private Optional<Measurement> sessionImages(String oneDnn, ExportVariant model, int batch) {
    return results.derive(
        oneDnn,
        INFER,
        pairedParams(model, batch),
        metrics -> batch * metrics.get("pairs") * 1e9 / metrics.get("sessionNanos"));
  }

  /** Classifier time over raw session time, call by call in the paired runs. */
  private Optional<Measurement> overheadRatio(String oneDnn, ExportVariant model, int batch) {
    return results.derive(
        oneDnn,
        INFER,
        pairedParams(model, batch),
        metrics -> metrics.get("classifierNanos") / metrics.get("sessionNanos"));
  }

  private static Map<String, String> pairedParams(ExportVariant model, int batch) {
    return inferenceParams(model, batch, Api.PAIRED, Settings.LIBRARY);
  }

  private Optional<Measurement> matMul(String oneDnn) {
    return results.find(
        oneDnn, "MatMulBenchmark.multiply", Map.of("n", Integer.toString(MatMulBenchmark.SIDE)));
  }

  private Optional<Measurement> matMulGflops(String oneDnn) {
    double side = MatMulBenchmark.SIDE;
    return matMul(oneDnn).map(m -> m.times(2 * side * side * side / 1e9));
  }

  private static Optional<Measurement> both(Optional<Measurement> a, Optional<Measurement> b) {
    return a.isPresent() && b.isPresent() ? Optional.of(a.get().over(b.get())) : Optional.empty();
  }

  private static String ratio(Optional<Measurement> after, Optional<Measurement> before) {
    return both(after, before).map(r -> format(r, "%.2f") + " x").orElse("-");
  }

  /** {@code (ratio + shift) * 100} with its error, as a signed or plain percentage. */
  private static String percent(Measurement ratio, double shift) {
    String sign = shift < 0 ? "%+.1f%%" : "%.0f%%";
    String value = String.format(Locale.ROOT, sign, (ratio.mean() + shift) * 100);
    return Double.isNaN(ratio.error())
        ? value
        : value + String.format(Locale.ROOT, " ± %.1f", ratio.error() * 100);
  }

  private static String seconds(Optional<Measurement> perSecond) {
    return perSecond.map(m -> format(m.millisPerOp().times(1e-3), "%.2f")).orElse("-");
  }

  private static String format(Measurement m, String pattern) {
    String mean = String.format(Locale.ROOT, pattern, m.mean());
    return Double.isNaN(m.error())
        ? mean
        : mean + " ± " + String.format(Locale.ROOT, pattern, m.error());
  }

  private static String gib(long kib) {
    return kib < 0 ? "-" : String.format(Locale.ROOT, "%.2f GiB", kib / 1024.0 / 1024.0);
  }

  private static String megabytes(Path dir) {
    if (!Files.isDirectory(dir)) {
      return "-";
    }
    try (Stream<Path> files = Files.walk(dir)) {
      long bytes =
          files
              .filter(Files::isRegularFile)
              .mapToLong(
                  file -> {
                    try {
                      return Files.size(file);
                    } catch (IOException e) {
                      return 0;
                    }
                  })
              .sum();
      return String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
    } catch (IOException e) {
      return "-";
    }
  }

  private static String label(ExportVariant model) {
    return model == ExportVariant.PLAIN ? "plain" : "optimized";
  }

  private static String verdict(boolean met) {
    return verdict(met ? MET : NOT_MET);
  }

  private static String verdict(int level) {
    return switch (level) {
      case MET -> " — **met**";
      case WITHIN_ERROR -> " — **not met** (within the error)";
      default -> " — **not met**";
    };
  }

  /**
   * {@link #MET} if {@code m}'s mean is at least (or, {@code atLeast} false, at most) {@code
   * target}, {@link #WITHIN_ERROR} if only its confidence interval reaches it, else {@link
   * #NOT_MET}.
   */
  private static int level(Measurement m, double target, boolean atLeast) {
    double sign = atLeast ? 1 : -1;
    if (sign * (m.mean() - target) >= 0) {
      return MET;
    }
    double error = Double.isNaN(m.error()) ? 0 : m.error();
    return sign * (m.mean() - target) + error >= 0 ? WITHIN_ERROR : NOT_MET;
  }

  private static Properties properties(Path file) throws IOException {
    Properties properties = new Properties();
    if (Files.isRegularFile(file)) {
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        properties.load(reader);
      }
    }
    return properties;
  }
}
