package io.github.resnetjava.cli;

import io.github.resnetjava.export.SavedModelExporter;
import io.github.resnetjava.savedmodel.ServingLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

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
      description =
          "TF Serving's model base directory; created if missing" + " (default: ${DEFAULT-VALUE}).")
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
      description =
          "Export for inference only: each block's conv/batch-norm pairs folded into"
              + " the convolution's kernel and bias (faster; cannot be trained further).")
  boolean optimize;

  /** {@code --name}, or {@code resnet<depth>} when it is not given. */
  String modelName(int depth) {
    return name != null ? name : "resnet" + depth;
  }

  /**
   * Checks {@code modelName} and {@code version} (when given) the way the export will, and that the
   * version does not exist unless {@code --overwrite} is on, so that a command can refuse them
   * before its long work (training) rather than after it.
   *
   * @throws ParameterException naming the problem and the option that fixes it
   */
  void requireValidDestination(CommandLine commandLine, String modelName, Long version) {
    try {
      ServingLayout.requireModelName(modelName);
      if (version != null) {
        ServingLayout.requireVersion(version);
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(commandLine, e.getMessage(), e);
    }
    if (version != null && !overwrite) {
      Path target = outputDir.resolve(modelName).resolve(Long.toString(version));
      if (Files.exists(target)) {
        throw new ParameterException(
            commandLine, target + " already exists: choose another --version or add --overwrite");
      }
    }
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
