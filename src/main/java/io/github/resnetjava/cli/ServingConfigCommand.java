package io.github.resnetjava.cli;

import io.github.resnetjava.server.ServingConfigFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code resnet serving-config}: writes {@code models.config} (and, with {@code --batching}, {@code
 * batching.config}) so {@code tensorflow_model_server} serves the same models directory.
 */
@Command(
    name = "serving-config",
    description =
        "Write MODELS_DIR/models.config (TF Serving's --model_config_file) listing every"
            + " model in it; with --batching also MODELS_DIR/batching.config"
            + " (--batching_parameters_file).")
final class ServingConfigCommand implements Callable<Integer> {
  static final String BATCHING_FILE = "batching.config";

  @Spec CommandSpec spec;

  @Mixin HelpOption help;

  @Mixin BatchingOptions batching;

  @Parameters(index = "0", paramLabel = "MODELS_DIR", description = "The models directory.")
  Path modelsDir;

  @Option(
      names = "--base-path",
      paramLabel = "DIR",
      description =
          "Where tensorflow_model_server finds the models directory, e.g. /models in"
              + " its container (default: MODELS_DIR as an absolute path).")
  String basePath;

  @Mixin VersionPolicyOption versions;

  @Override
  public Integer call() throws IOException {
    if (!Files.isDirectory(modelsDir)) {
      throw new ParameterException(spec.commandLine(), "models directory not found: " + modelsDir);
    }
    String base = basePath != null ? basePath : modelsDir.toAbsolutePath().normalize().toString();
    PrintWriter out = spec.commandLine().getOut();
    Path file = ServingConfigFile.write(modelsDir, base, versions.versionPolicy);
    out.println("Wrote " + file);
    if (batching.enabled) {
      Path batchingFile = modelsDir.resolve(BATCHING_FILE);
      Files.writeString(batchingFile, batching.parameters().toConfigText());
      out.println("Wrote " + batchingFile);
    }
    out.flush();
    return 0;
  }
}
