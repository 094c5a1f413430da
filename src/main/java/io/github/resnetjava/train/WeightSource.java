package io.github.resnetjava.train;

import io.github.resnetjava.savedmodel.ServingLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.ndarray.Shape;

/**
 * Trained float32 variables to initialize a model from, keyed by TF1 variable name (the names a
 * {@code tf.compat.v1.train.Saver} writes), as {@code tf.train.list_variables} and {@code
 * tf.train.load_variable} see them. Opened by {@link #open}; close it to free the native state.
 */
public interface WeightSource extends AutoCloseable {

  /** Every float32 variable's shape, keyed by TF1 name. */
  Map<String, Shape> shapes();

  /**
   * The values of {@code names}, each row-major as its {@link #shapes()} entry gives it.
   *
   * @throws IllegalArgumentException if a name is not in {@link #shapes()}
   */
  Map<String, float[]> read(List<String> names);

  /** What this source is, for messages: its path and kind. */
  String description();

  @Override
  void close();

  /**
   * Opens {@code path}: a SavedModel version directory (holding {@value
   * ServingLayout#SAVED_MODEL_FILE}), a {@code models/<name>} directory (its highest version, as TF
   * Serving picks it) or a checkpoint prefix ({@code <path>.index} exists).
   *
   * @throws IllegalArgumentException if {@code path} is none of these, naming what it expects
   */
  static WeightSource open(Path path) {
    if (ServingLayout.isSavedModel(path)) {
      return new SavedModelWeights(path);
    }
    Optional<Path> version = ServingLayout.latestVersionDirectory(path);
    if (version.isPresent()) {
      return new SavedModelWeights(version.get());
    }
    if (Files.isRegularFile(CheckpointManager.indexOf(path))) {
      return new CheckpointWeights(path);
    }
    throw new IllegalArgumentException(
        "Cannot initialize from "
            + path
            + ": expected a SavedModel version directory (holding "
            + ServingLayout.SAVED_MODEL_FILE
            + "), a models/<name> directory with numbered"
            + " versions, or a checkpoint prefix such as runs/<name>/ckpt-1500 (with a .index"
            + " file)"
            + (Files.exists(path) ? "" : "; " + path + " does not exist"));
  }
}
