package io.github.resnetjava.server;

import java.nio.file.Path;

/** What the {@link ModelManager} reports as it loads, swaps and unloads versions. */
public interface ModelEvents {
  /** Version {@code version} of {@code model} was loaded from {@code dir} and is now served. */
  void loaded(String model, long version, Path dir);

  /** Version {@code version} of {@code model} is no longer served (swapped out or removed). */
  void unloaded(String model, long version);

  /**
   * Version {@code version} of {@code model} could not be loaded; it is skipped until it changes.
   */
  void failed(String model, long version, Path dir, String problem);

  /** Events that are ignored. */
  static ModelEvents none() {
    return new ModelEvents() {
      @Override
      public void loaded(String model, long version, Path dir) {}

      @Override
      public void unloaded(String model, long version) {}

      @Override
      public void failed(String model, long version, Path dir, String problem) {}
    };
  }
}
