package io.github.resnetjava.bench;

import static io.github.resnetjava.bench.ReportData.BATCHES;
import static io.github.resnetjava.bench.ReportData.DEFAULT_ONEDNN;
import static io.github.resnetjava.bench.ReportData.EXPLICIT;
import static io.github.resnetjava.bench.ReportData.INFER;
import static io.github.resnetjava.bench.ReportData.ONEDNN;
import static io.github.resnetjava.bench.ReportData.perLabel;
import static io.github.resnetjava.bench.ReportFormat.best;
import static io.github.resnetjava.bench.ReportFormat.both;
import static io.github.resnetjava.bench.ReportFormat.cells;
import static io.github.resnetjava.bench.ReportFormat.format;
import static io.github.resnetjava.bench.ReportFormat.gib;
import static io.github.resnetjava.bench.ReportFormat.label;
import static io.github.resnetjava.bench.ReportFormat.megabytes;
import static io.github.resnetjava.bench.ReportFormat.percent;
import static io.github.resnetjava.bench.ReportFormat.ratio;
import static io.github.resnetjava.bench.ReportFormat.seconds;
import static io.github.resnetjava.bench.ReportFormat.title;

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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Turns a {@link BenchmarkSuite} results file into the section of {@code docs/benchmarks.md} that
 * {@code scripts/bench.sh} owns (it splices the section in between its markers): the machine, the
 * targets of the speed work and whether this run met them, and one table per benchmark.
 *
 * <p>ResNet-50's GFLOP/s are {@code 2 x} the multiply-adds per image that {@link ModelSummarizer}
 * counts, times images per second; the MatMul's are {@code 2 n^3} per product.
 */
public final class BenchmarkReport {
  private final ReportData data;
  private final StringBuilder out = new StringBuilder();

  private BenchmarkReport(ReportData data) {
    this.data = data;
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
            new ReportData(
                BenchmarkResults.read(Path.of(options.get("results"))),
                properties(Path.of(options.get("run"))),
                properties(Path.of(options.get("agreement"))),
                MachineInfo.current(),
                ReportData.resNet50FlopPerImage()));
    Path output = Path.of(options.get("output"));
    Files.writeString(output, report.render(), StandardCharsets.UTF_8);
    System.out.println("Wrote " + output);
  }

  private String render() {
    header();
    out.append(new TargetsSection(data).render());
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

  private void header() {
    out.append("Written by `scripts/bench.sh` on ")
        .append(data.run().getProperty("finished"))
        .append(" (a ")
        .append(data.run().getProperty("minutes"))
        .append("-minute run); rerun the")
        .append(" script rather than editing this section. JMH 1.37, throughput mode, one JVM fork")
        .append(" per configuration, ")
        .append(data.run().getProperty("schedule"))
        .append(". The")
        .append(" ResNet-50 inference configurations ran in ")
        .append(data.run().getProperty("rounds"))
        .append(" interleaved rounds, one process per setting of `TF_ENABLE_ONEDNN_OPTS` (unset,")
        .append(" 0, 1), rotating the order of the settings and of the exports.")
        .append(
            Boolean.parseBoolean(data.run().getProperty("full", "true"))
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
                data.machine().cpuModel()
                    + ", "
                    + data.machine().cores()
                    + " cores ("
                    + data.machine().vectorFlags()
                    + ")")
            .row("memory", data.machine().memoryGib() + " GiB")
            .row("JVM", data.machine().jvm())
            .row("TensorFlow", data.machine().tensorFlow())
            .row(
                "oneDNN by default",
                data.run().getProperty("oneDnnDefault")
                    + " (TensorFlow turns it on"
                    + " for CPUs with AVX512-VNNI, AVX512-BF16 or AMX; `TF_ENABLE_ONEDNN_OPTS=0/1`"
                    + " overrides)")
            .row(
                "load average, 1 min",
                "before "
                    + data.run().getProperty("loadBefore")
                    + "; during: "
                    + data.run().getProperty("loadDuring")
                    + "; after "
                    + data.run().getProperty("loadAfter"))
            .render());
    out.append("\nThe benchmarks themselves keep about ")
        .append(data.machine().cores())
        .append(" threads busy: a load average well above that means other processes competed")
        .append(" for the CPU.\n\n");
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
        .append(String.format(Locale.ROOT, "%.2f", data.flopPerImage() / 1e9))
        .append(" GFLOP per image (2 x the multiply-adds of `resnet summary --depth 50`).")
        .append(" Peak RSS is the VmHWM of the fork that loaded the model and served it.\n\n");
    for (String oneDnn : ONEDNN) {
      Optional<Measurement> ceiling = data.matMulGflops(oneDnn);
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
        for (int batch : data.measuredBatches()) {
          Optional<Measurement> classifier = data.classifierImages(oneDnn, model, batch);
          Optional<Measurement> gflops = classifier.map(m -> m.times(data.flopPerImage() / 1e9));
          table.row(
              label(model),
              Integer.toString(batch),
              classifier.map(m -> format(m, "%.2f")).orElse("-"),
              data.sessionImages(oneDnn, model, batch).map(m -> format(m, "%.2f")).orElse("-"),
              data.overheadRatio(oneDnn, model, batch).map(r -> percent(r, -1)).orElse("-"),
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
    for (int batch : data.measuredBatches()) {
      table.row(
          cells(
              perLabel(
                  label ->
                      ratio(
                          data.classifierImages(label, ExportVariant.OPTIMIZED, batch),
                          data.classifierImages(label, ExportVariant.PLAIN, batch))),
              batch == 1 ? "`export --optimize` vs plain export" : "",
              "batch " + batch));
    }
    table.row(
        cells(
            perLabel(
                label ->
                    ratio(
                        data.classifierImages(label, ExportVariant.PLAIN, 8),
                        data.classifierImages(label, ExportVariant.PLAIN, 8, Settings.TENSORFLOW))),
            "`SessionConfig.defaults()` (intra-op = "
                + data.machine().cores()
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
        .append(data.run().getProperty("oneDnnDefault"))
        .append("), top-1 agreement: ")
        .append(data.agreement("bfloat16"))
        .append(".\n\n");
    MarkdownTable oneDnn =
        new MarkdownTable("export", "batch", "`=1` / `=0`", "unset / `=0`", "unset / `=1`");
    for (ExportVariant model : ExportVariant.values()) {
      for (int batch : data.measuredBatches()) {
        oneDnn.row(
            label(model),
            Integer.toString(batch),
            ratio(
                data.classifierImages("on", model, batch),
                data.classifierImages("off", model, batch)),
            ratio(
                data.classifierImages(DEFAULT_ONEDNN, model, batch),
                data.classifierImages("off", model, batch)),
            ratio(
                data.classifierImages(DEFAULT_ONEDNN, model, batch),
                data.classifierImages("on", model, batch)));
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
        ReportData.inferenceParams(
            ExportVariant.OPTIMIZED, batch, Api.CLASSIFIER, Settings.BFLOAT16);
    Optional<Measurement> refused =
        data.results()
            .derive(oneDnn, INFER, params, metrics -> metrics.getOrDefault("bfloat16Refused", 0.0));
    if (refused.isEmpty()) {
      return "not run";
    }
    if (refused.get().mean() > 0) {
      return "refused at load (the Classifier served float32): no bfloat16 figure";
    }
    return ratio(
        data.classifierImages(oneDnn, ExportVariant.OPTIMIZED, batch, Settings.BFLOAT16),
        data.classifierImages(oneDnn, ExportVariant.OPTIMIZED, batch));
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
      Optional<Measurement> products = data.matMulProducts(oneDnn);
      table.row(
          title(oneDnn),
          products.map(m -> format(m, "%.2f")).orElse("-"),
          data.matMulGflops(oneDnn).map(m -> format(m, "%.0f")).orElse("-"));
    }
    out.append(table.render()).append('\n');
  }

  private void trainCommand() {
    out.append("## `resnet train`, oneDNN off and on\n\n");
    if (data.trainSteps(DEFAULT_ONEDNN).isEmpty()) {
      out.append("Not measured in this run.\n\n");
      return;
    }
    out.append("`scripts/resnet train synthetic --depth 18 --image-size 32 --batch 64 --steps ")
        .append(data.run().getProperty("trainSteps", "?"))
        .append("` (640 synthetic images), one")
        .append(" process per setting and round, through the launcher as a user runs it.")
        .append(" Steps per second: the median, over the second half of the steps, of the")
        .append(" smoothed throughput the training loop writes to `metrics.csv` (evaluation and")
        .append(" checkpoints excluded), one value per run.\n\n");
    Optional<Measurement> best = best(EXPLICIT.stream().map(data::trainSteps).toList());
    MarkdownTable table =
        new MarkdownTable("TF_ENABLE_ONEDNN_OPTS", "steps/s", "ms per step", "of the best");
    for (String oneDnn : ONEDNN) {
      Optional<Measurement> steps = data.trainSteps(oneDnn);
      table.row(
          title(oneDnn),
          steps.map(m -> format(m, "%.2f")).orElse("-"),
          steps.map(m -> format(m.millisPerOp(), "%.0f")).orElse("-"),
          both(steps, best).map(r -> format(r, "%.2f") + " x").orElse("-"));
    }
    out.append(table.render()).append('\n');
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
        .append(data.machine().cores())
        .append(" and inter-op 2 (`SessionConfig.defaults()`): both use")
        .append(" the machine's ")
        .append(data.machine().cores())
        .append(" cores. DJL ran in the")
        .append(" processes that leave `TF_ENABLE_ONEDNN_OPTS` unset; PyTorch does not read")
        .append(" it. ResNet-50 v1 and v2 have the same convolutions (v2 moves the batch norms")
        .append(" and ReLUs before them).\n\n");
    MarkdownTable table = new MarkdownTable("stack", "batch 1 images/s", "batch 8 images/s");
    for (String oneDnn : List.of(DEFAULT_ONEDNN, data.launcher())) {
      for (ExportVariant model : ExportVariant.values()) {
        String who =
            oneDnn.equals(DEFAULT_ONEDNN)
                ? "host JVM default (unset)"
                : "`scripts/resnet` default (`=0`)";
        table.row(
            "resnet-java ResNet-50 v2, " + label(model) + " export, Classifier, " + who,
            data.classifierImages(oneDnn, model, 1).map(m -> format(m, "%.2f")).orElse("-"),
            data.classifierImages(oneDnn, model, 8).map(m -> format(m, "%.2f")).orElse("-"));
      }
    }
    table.row(
        "DJL 0.36, PyTorch 2.7.1, ResNetV1-50",
        data.djlImages(1).map(m -> format(m, "%.2f")).orElse("-"),
        data.djlImages(8).map(m -> format(m, "%.2f")).orElse("-"));
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
          data.constructionMillis(depth, DataFormat.CHANNELS_LAST),
          data.constructionMillis(depth, DataFormat.CHANNELS_FIRST));
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
          seconds(data.results().find(DEFAULT_ONEDNN, "ExportBenchmark.export", params)),
          seconds(data.results().find(DEFAULT_ONEDNN, "LoadBenchmark.load", params)),
          seconds(data.results().find(DEFAULT_ONEDNN, "LoadBenchmark.loadAndClassify", params)));
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
          data.results().find(DEFAULT_ONEDNN, "TensorTransferBenchmark.fillInput", params);
      double bytes = 4.0 * batch * BenchImages.SIDE * BenchImages.SIDE * BenchImages.CHANNELS;
      table.row(
          Integer.toString(batch),
          fill.map(m -> format(m.millisPerOp().times(1000), "%.1f")).orElse("-"),
          fill.map(m -> format(m.times(bytes / 1e9), "%.1f")).orElse("-"),
          data.results()
              .find(DEFAULT_ONEDNN, "TensorTransferBenchmark.readOutput", params)
              .map(m -> format(m.millisPerOp().times(1000), "%.2f"))
              .orElse("-"));
    }
    out.append(table.render()).append('\n');
  }

  private void training() {
    out.append("## Training step\n\n");
    Optional<Measurement> steps =
        data.results().find(DEFAULT_ONEDNN, "TrainingStepBenchmark.step", Map.of());
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
