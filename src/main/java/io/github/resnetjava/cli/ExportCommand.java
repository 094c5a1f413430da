package io.github.resnetjava.cli;

import io.github.resnetjava.export.ServingGraph;
import io.github.resnetjava.model.ResNetModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code resnet export}: builds a freshly initialized ResNet v2 with its serving graph and writes
 * it as a SavedModel in TF Serving's layout, {@code <output-dir>/<name>/<version>}.
 */
@Command(
    name = "export",
    description =
        "Build a ResNet v2 with freshly initialized weights and export it as a"
            + " SavedModel (TF Serving layout: <output-dir>/<name>/<version>).")
final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HelpOption help;

  @Mixin ClassifierArchitectureOptions architecture;

  @Option(
      names = "--min-aspect-dim",
      paramLabel = "PIXELS",
      defaultValue = "256",
      converter = OptionConverters.PositiveInt.class,
      description =
          "Shorter image side after the aspect-preserving resize, before the central"
              + " crop (default: ${DEFAULT-VALUE}).")
  int minAspectDim;

  @Option(
      names = "--seed",
      paramLabel = "SEED",
      description = "Seed of the initial weights; without it they differ on every export.")
  Long seed;

  @Mixin ExportDestinationOptions destination;

  @Option(
      names = "--version",
      paramLabel = "VERSION",
      defaultValue = "1",
      description = "Model version, its numeric directory (default: ${DEFAULT-VALUE}).")
  long version;

  @Option(
      names = "--labels",
      paramLabel = "FILE",
      description = "Class labels, one per line in class-index order, written as labels.txt.")
  Path labelsFile;

  @Override
  public Integer call() throws IOException {
    List<String> labels = readLabels();
    String modelName = destination.modelName(architecture.depth);
    long start = System.nanoTime();
    Path exported;
    try (Graph graph = new Graph()) {
      ResNetModel model = newModel(Ops.create(graph));
      ServingGraph serving = ServingGraph.build(model);
      try (Session session = new Session(graph)) {
        session.initialize();
        exported = destination.exporter(modelName, labels).export(session, serving, version);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        Locale.ROOT, "Exported %s to %s in %.1f s%n", architecture.describe(), exported, seconds);
    out.printf(
        Locale.ROOT,
        "  preprocessing: shorter side resized to %d, central %dx%d crop; weights: %s%s%n",
        minAspectDim,
        architecture.resizeDim,
        architecture.resizeDim,
        seed == null ? "unseeded" : "seed " + seed,
        destination.optimize ? ", batch norms folded into the convolutions" : "");
    out.flush();
    return 0;
  }

  private ResNetModel newModel(Ops tf) {
    return seed == null
        ? new ResNetModel(
            tf,
            minAspectDim,
            architecture.resizeDim,
            architecture.depth,
            architecture.classes,
            architecture.dataFormat)
        : new ResNetModel(
            tf,
            minAspectDim,
            architecture.resizeDim,
            architecture.depth,
            architecture.classes,
            architecture.dataFormat,
            seed);
  }

  private List<String> readLabels() throws IOException {
    if (labelsFile == null) {
      return null;
    }
    if (!Files.isRegularFile(labelsFile)) {
      throw new ParameterException(spec.commandLine(), "--labels: file not found: " + labelsFile);
    }
    List<String> labels = Files.readAllLines(labelsFile, StandardCharsets.UTF_8);
    if (labels.size() != architecture.classes) {
      throw new ParameterException(
          spec.commandLine(),
          "--labels: "
              + labelsFile
              + " has "
              + labels.size()
              + " lines but --classes is "
              + architecture.classes
              + "; give one label per class, in class-index order");
    }
    return labels;
  }
}
