package io.github.resnetjava.bench;

import static io.github.resnetjava.bench.ReportData.DEFAULT_ONEDNN;
import static io.github.resnetjava.bench.ReportData.EXPLICIT;
import static io.github.resnetjava.bench.ReportData.ONEDNN;
import static io.github.resnetjava.bench.ReportData.perLabel;
import static io.github.resnetjava.bench.ReportFormat.MET;
import static io.github.resnetjava.bench.ReportFormat.best;
import static io.github.resnetjava.bench.ReportFormat.both;
import static io.github.resnetjava.bench.ReportFormat.cells;
import static io.github.resnetjava.bench.ReportFormat.format;
import static io.github.resnetjava.bench.ReportFormat.gib;
import static io.github.resnetjava.bench.ReportFormat.label;
import static io.github.resnetjava.bench.ReportFormat.level;
import static io.github.resnetjava.bench.ReportFormat.percent;
import static io.github.resnetjava.bench.ReportFormat.title;
import static io.github.resnetjava.bench.ReportFormat.verdict;

import io.github.resnetjava.model.DataFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The report's two target sections: issue 8's "fast and correct by default" targets (the defaults
 * against the best explicit oneDNN setting, the MatMul ceiling, training, bfloat16, DJL and the
 * optimized export's memory) and the earlier speed-work targets, each with its verdict.
 */
final class TargetsSection {
  private final ReportData data;
  private final StringBuilder out = new StringBuilder();

  TargetsSection(ReportData data) {
    this.data = data;
  }

  /** Both sections' Markdown. */
  String render() {
    defaultTargets();
    targets();
    return out.toString();
  }

  /**
   * Issue 8's targets: the defaults (a host JVM that sets nothing, and {@code scripts/resnet})
   * against the best explicit oneDNN setting, the MatMul ceiling, training, bfloat16, DJL and the
   * optimized export's memory.
   */
  private void defaultTargets() {
    String launcher = data.launcher();
    out.append("## Targets: fast and correct by default\n\n")
        .append("\"Best\" is the faster of `TF_ENABLE_ONEDNN_OPTS=0` and `=1` in this run. Two")
        .append(" defaults: a host JVM that sets nothing, measured in its own processes, where")
        .append(" the library chooses (`OneDnnPolicy`: `Classifier.load` sets")
        .append(" `TF_ENABLE_ONEDNN_OPTS=0` before TensorFlow loads; TensorFlow's own choice is")
        .append(" oneDNN ")
        .append(data.run().getProperty("oneDnnDefault"))
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
    String bfloat16 = data.agreement("bfloat16");
    table.row(
        "bfloat16: float32's top-1 on 100 images, probabilities within 0.06, or refused",
        bfloat16 + " (oneDNN " + data.run().getProperty("oneDnnDefault") + ")",
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
                .row(
                    "same top-1 on 100 images, optimized vs plain export",
                    data.agreement("optimized"))
                .row("ResNet-200 graph construction < 1 s", construction200())
                .row("ResNet-50 SavedModel load (`Classifier.load`) < 2 s", loadTarget())
                .render())
        .append('\n');
  }

  private String versusBest(String oneDnn, ExportVariant model, int batch) {
    Optional<Measurement> measured = data.classifierImages(oneDnn, model, batch);
    Optional<Measurement> best =
        best(EXPLICIT.stream().map(label -> data.classifierImages(label, model, batch)).toList());
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
    double off = data.classifierImages("off", model, batch).map(Measurement::mean).orElse(0.0);
    double on = data.classifierImages("on", model, batch).map(Measurement::mean).orElse(0.0);
    return on > off ? "`=1`" : "`=0`";
  }

  private String ofBestCeiling(String oneDnn, ExportVariant model) {
    Optional<Measurement> gflops =
        data.classifierImages(oneDnn, model, 8).map(m -> m.times(data.flopPerImage() / 1e9));
    Optional<Measurement> ceiling = best(ONEDNN.stream().map(data::matMulGflops).toList());
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
    Optional<Measurement> measured = data.trainSteps(DEFAULT_ONEDNN);
    Optional<Measurement> best = best(EXPLICIT.stream().map(data::trainSteps).toList());
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
    Optional<Measurement> plain = data.classifierImages(oneDnn, ExportVariant.PLAIN, 8);
    Optional<Measurement> optimized = data.classifierImages(oneDnn, ExportVariant.OPTIMIZED, 8);
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

  private String overhead(String oneDnn, int batch, double limit) {
    List<String> parts = new ArrayList<>();
    int level = MET;
    for (ExportVariant model : ExportVariant.values()) {
      Optional<Measurement> overhead = data.overheadRatio(oneDnn, model, batch);
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
      Optional<Measurement> ratio =
          both(data.classifierImages(oneDnn, model, batch), data.djlImages(batch));
      if (ratio.isEmpty()) {
        return "not measured";
      }
      parts.add(label(model) + " " + format(ratio.get(), "%.2f") + " x");
      level = Math.min(level, level(ratio.get(), 1.5, true));
    }
    return String.join(", ", parts)
        + " (DJL "
        + format(data.djlImages(batch).get(), "%.2f")
        + " images/s)"
        + verdict(level);
  }

  private String ofCeiling(String oneDnn, ExportVariant model, double fraction) {
    Optional<Measurement> gflops =
        data.classifierImages(oneDnn, model, 8).map(m -> m.times(data.flopPerImage() / 1e9));
    return both(gflops, data.matMulGflops(oneDnn))
        .map(
            r ->
                format(gflops.get(), "%.0f")
                    + " GFLOP/s = "
                    + percent(r, 0)
                    + " of MatMul's "
                    + String.format(Locale.ROOT, "%.0f", data.matMulGflops(oneDnn).get().mean())
                    + verdict(level(r, fraction, true)))
        .orElse("not measured");
  }

  private String speedUp(String oneDnn, int batch, double target) {
    return both(
            data.classifierImages(oneDnn, ExportVariant.OPTIMIZED, batch),
            data.classifierImages(oneDnn, ExportVariant.PLAIN, batch))
        .map(r -> format(r, "%.2f") + " x" + verdict(level(r, target, true)))
        .orElse("not measured");
  }

  private String construction200() {
    return data.results()
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
          data.results().find(DEFAULT_ONEDNN, "LoadBenchmark.load", Map.of("model", model.name()));
      if (load.isEmpty()) {
        return "not measured";
      }
      Measurement seconds = load.get().millisPerOp().times(1e-3);
      parts.add(label(model) + " " + format(seconds, "%.2f") + " s");
      met &= seconds.mean() < 2;
    }
    return String.join(", ", parts) + verdict(met);
  }
}
