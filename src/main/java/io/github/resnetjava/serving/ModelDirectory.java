package io.github.resnetjava.serving;

import io.github.resnetjava.savedmodel.ServingLayout;
import io.github.resnetjava.savedmodel.Signatures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the SavedModel to serve in a directory (as TF Serving's file-system source picks the
 * highest numeric version) and reads the labels exported beside it.
 */
public final class ModelDirectory {
  private ModelDirectory() {}

  /**
   * {@code modelDir} itself when it holds a SavedModel, otherwise its highest servable version
   * directory as it is named (TF Serving's {@code <modelsDir>/<name>} layout; {@code 007} is
   * version 7).
   *
   * @throws ModelLoadException if there is neither
   */
  public static Path resolveSavedModel(Path modelDir) {
    if (modelDir == null) {
      throw new ModelLoadException("modelDir must not be null");
    }
    if (!Files.isDirectory(modelDir)) {
      throw new ModelLoadException("Model directory " + modelDir + " does not exist");
    }
    if (ServingLayout.isSavedModel(modelDir)) {
      return modelDir;
    }
    Optional<Path> latest;
    try {
      latest = ServingLayout.latestVersionDirectory(modelDir);
    } catch (IllegalStateException | UncheckedIOException e) {
      throw new ModelLoadException(e.getMessage(), e);
    }
    return latest.orElseThrow(
        () ->
            new ModelLoadException(
                modelDir
                    + " holds no "
                    + ServingLayout.SAVED_MODEL_FILE
                    + " and no numeric version"
                    + " directory with one: pass a SavedModel directory or a <modelsDir>/<name>"
                    + " directory"));
  }

  /**
   * The lines of {@value Signatures#LABELS_FILE} in {@code savedModelDir}, or {@code "0"}, {@code
   * "1"}, ... when there is no such file.
   *
   * @throws ModelLoadException if the file cannot be read or has not one line per class
   */
  static List<String> readLabels(Path savedModelDir, int numClasses) {
    Path file = savedModelDir.resolve(Signatures.LABELS_FILE);
    if (!Files.isRegularFile(file)) {
      List<String> indices = new ArrayList<>(numClasses);
      for (int i = 0; i < numClasses; i++) {
        indices.add(String.valueOf(i));
      }
      return List.copyOf(indices);
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ModelLoadException("Cannot read " + file + ": " + e.getMessage(), e);
    }
    if (lines.size() != numClasses) {
      throw new ModelLoadException(
          file
              + " has "
              + lines.size()
              + " lines but the model has "
              + numClasses
              + " classes: it must hold one label per class, in class-index order");
    }
    return List.copyOf(lines);
  }
}
