package io.github.resnetjava.server;

import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * Which versions of a model to serve, as TF Serving's {@code model_version_policy} (file {@code
 * config/file_system_storage_path_source.proto}) chooses them.
 */
public enum VersionPolicy {
  /** {@code latest { num_versions: 1 }}: only the highest version, TF Serving's default. */
  LATEST,
  /** {@code all {}}: every version present. */
  ALL;

  /** The versions to serve out of {@code available} (the servable versions on disk). */
  NavigableSet<Long> wanted(NavigableSet<Long> available) {
    if (this == ALL || available.isEmpty()) {
      return new TreeSet<>(available);
    }
    return new TreeSet<>(java.util.Set.of(available.last()));
  }

  /** The {@code model_version_policy} block for models.config, or empty for the default. */
  String configText() {
    return this == ALL ? "model_version_policy { all {} }" : "";
  }
}
