package io.github.resnetjava.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * TF Serving's {@code --model_config_file}: a text-format {@code ModelServerConfig} ({@code
 * config/model_server_config.proto}) with one {@code config} per model under a models directory, so
 * {@code tensorflow_model_server --model_config_file=models/models.config} serves the same models
 * as {@link ModelServer}.
 */
public final class ServingConfigFile {
  /** The file name written into the models directory. */
  public static final String FILE_NAME = "models.config";

  private ServingConfigFile() {}

  /**
   * The config text for the models under {@code modelsDir}.
   *
   * @param basePath the directory TF Serving will find the models in ({@code modelsDir} itself,
   *     absolute, or where a container mounts it, such as {@code /models})
   * @param policy the version policy to write
   * @throws IllegalArgumentException if {@code modelsDir} holds no servable model
   */
  public static String text(Path modelsDir, String basePath, VersionPolicy policy) {
    Map<String, ?> models = ModelsOnDisk.scan(modelsDir);
    if (models.isEmpty()) {
      throw new IllegalArgumentException(
          modelsDir
              + " holds no model in TF Serving's layout"
              + " <name>/<version>/saved_model.pb: export one first (resnet export)");
    }
    String base = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
    StringBuilder text = new StringBuilder("model_config_list {\n");
    for (String name : models.keySet()) {
      text.append("  config {\n")
          .append("    name: '")
          .append(name)
          .append("'\n")
          .append("    base_path: '")
          .append(base)
          .append('/')
          .append(name)
          .append("'\n")
          .append("    model_platform: 'tensorflow'\n");
      if (!policy.configText().isEmpty()) {
        text.append("    ").append(policy.configText()).append('\n');
      }
      text.append("  }\n");
    }
    return text.append("}\n").toString();
  }

  /**
   * Writes {@link #text} to {@code <modelsDir>/}{@value #FILE_NAME}.
   *
   * @return the file written
   */
  public static Path write(Path modelsDir, String basePath, VersionPolicy policy)
      throws IOException {
    Path file = modelsDir.resolve(FILE_NAME);
    Files.writeString(file, text(modelsDir, basePath, policy));
    return file;
  }
}
