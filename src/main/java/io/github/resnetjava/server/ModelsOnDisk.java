package io.github.resnetjava.server;

import io.github.resnetjava.savedmodel.ServingLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a models directory holds in TF Serving's layout, as its file-system source sees it: model
 * directories (names {@link ServingLayout#requireModelName} accepts) and, in each, the numeric
 * version directories that hold a {@value ServingLayout#SAVED_MODEL_FILE}, listed by {@link
 * ServingLayout#servableVersionDirectories} (which waits out an overwriting export's swap, so a
 * poll never unloads a version that is only being replaced). Hidden staging directories of an
 * unfinished export are neither.
 */
final class ModelsOnDisk {
  private ModelsOnDisk() {}

  /**
   * Model name to its servable versions and their directories, named as listed (TF Serving parses
   * version names as integers: {@code 007} is version 7; of two directories naming one version, the
   * first in name order is taken); models without a version are left out.
   */
  static Map<String, NavigableMap<Long, Path>> scan(Path modelsDir) {
    Map<String, NavigableMap<Long, Path>> models = new TreeMap<>();
    for (Path modelDir : list(modelsDir)) {
      String name = modelDir.getFileName().toString();
      if (!isModelName(name) || !Files.isDirectory(modelDir)) {
        continue;
      }
      NavigableMap<Long, Path> versions = new TreeMap<>();
      for (Path versionDir : ServingLayout.servableVersionDirectories(modelDir)) {
        versions.putIfAbsent(ServingLayout.versionOf(versionDir), versionDir);
      }
      if (!versions.isEmpty()) {
        models.put(name, versions);
      }
    }
    return models;
  }

  private static boolean isModelName(String name) {
    try {
      ServingLayout.requireModelName(name);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The entries of {@code dir}, or none if it vanished or cannot be read (a deleted model). */
  private static List<Path> list(Path dir) {
    try (Stream<Path> children = Files.list(dir)) {
      return children.toList();
    } catch (IOException | UncheckedIOException e) {
      return List.of();
    }
  }
}
