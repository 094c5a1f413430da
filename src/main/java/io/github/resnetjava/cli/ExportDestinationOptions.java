package io.github.resnetjava.cli;

import io.github.resnetjava.export.SavedModelExporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where and how a command writes its SavedModel ({@code <output-dir>/<name>/<version>}): the
 * options {@code export} and {@code train} share. Each command keeps its own {@code --version},
 * whose default differs (1 for a fresh export, the next free version after training).
 */
final class ExportDestinationOptions {
  @Option(
      names = "--output-dir",
      paramLabel = "DIR",
      defaultValue = "models",
      description = "TF Serving's model base directory; created if missing"
          + " (default: ${DEFAULT-VALUE}).")
  Path outputDir;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "Model name, its directory (default: resnet<depth>).")
  String name;

  @Option(names = "--overwrite", description = "Replace the version if it exists.")
  boolean overwrite;

  @Option(
      names = "--optimize",
      description = "Export for inference only: weights frozen into constants and each block's"
          + " conv/batch-norm pairs folded into the convolution (faster; cannot be trained"
          + " further).")
  boolean optimize;

  /** {@code --name}, or {@code resnet<depth>} when it is not given. */
  String modelName(int depth) {
    return name != null ? name : "resnet" + depth;
  }

  /**
   * An exporter into {@code <output-dir>/<modelName>} (the directory created if missing) with these
   * options and {@code labels}.
   */
  SavedModelExporter exporter(String modelName, List<String> labels) throws IOException {
    Files.createDirectories(outputDir);
    return SavedModelExporter.into(outputDir, modelName)
        .withLabels(labels)
        .withOverwrite(overwrite)
        .withInferenceOptimization(optimize);
  }
}
