package io.github.resnetjava.bench;

import io.github.resnetjava.savedmodel.ServingLayout;
import java.nio.file.Path;

/**
 * The two ResNet-50 SavedModels the benchmarks compare, as {@code scripts/bench.sh} exports them
 * with {@code resnet export --depth 50 --seed 42 [--optimize]} under the models directory.
 */
public enum ExportVariant {
  /**
   * The plain export: weights in variables; in its inference graph every batch norm a per-channel
   * scale and shift.
   */
  PLAIN("resnet50"),
  /**
   * {@code export --optimize}: each block's conv/batch-norm pairs folded in Java, the folded
   * kernels and biases held in variables ({@code <conv>/folded_kernel}, {@code folded_bias}), not
   * in constants.
   */
  OPTIMIZED("resnet50-optimized");

  /** System property naming the models directory; {@value #DEFAULT_MODELS_DIR} without it. */
  public static final String MODELS_DIR_PROPERTY = "resnet.bench.models";

  /** Where {@code scripts/bench.sh} exports the models, relative to the repository root. */
  public static final String DEFAULT_MODELS_DIR = "target/bench/models";

  private final String modelName;

  ExportVariant(String modelName) {
    this.modelName = modelName;
  }

  /** The model's directory name under the models directory. */
  public String modelName() {
    return modelName;
  }

  /** {@code <modelsDir>/<modelName>}: a TF Serving model directory, highest version served. */
  public Path modelDir() {
    return Path.of(System.getProperty(MODELS_DIR_PROPERTY, DEFAULT_MODELS_DIR)).resolve(modelName);
  }

  /**
   * The version directory a {@code Classifier} would load from {@link #modelDir()}.
   *
   * @throws IllegalStateException if the model has not been exported
   */
  public Path savedModelDir() {
    Path modelDir = modelDir();
    long version =
        ServingLayout.latestVersion(modelDir)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "No SavedModel under "
                            + modelDir
                            + ": run scripts/bench.sh, which exports it"));
    return modelDir.resolve(Long.toString(version));
  }
}
