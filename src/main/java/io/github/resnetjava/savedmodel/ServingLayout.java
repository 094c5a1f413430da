package io.github.resnetjava.savedmodel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * TF Serving's model directory layout: {@code <modelsDir>/<name>/<version>/saved_model.pb}, with
 * versions as non-negative decimal directory names and the highest one served. Other entries, such
 * as an exporter's hidden staging directories, are not versions.
 */
public final class ServingLayout {
  /** The SavedModel protocol buffer every version directory holds. */
  public static final String SAVED_MODEL_FILE = "saved_model.pb";

  /** How long {@link #latestVersionDirectory} waits for a version in the middle of a swap. */
  public static final long SWAP_WAIT_MILLIS = 1000;

  /**
   * Name prefix of a version's retired copy, {@code .old-<version>-<hex>}: a version an overwriting
   * export renamed aside, deleted once the new one is in place.
   */
  public static final String RETIRED_PREFIX = ".old";

  private static final Pattern VERSION = Pattern.compile("[0-9]{1,18}");
  private static final Pattern RETIRED =
      Pattern.compile(Pattern.quote(RETIRED_PREFIX) + "-([0-9]{1,18})-[0-9a-f]+");
  private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private ServingLayout() {}

  /** Whether {@code dir} holds a {@value #SAVED_MODEL_FILE}. */
  public static boolean isSavedModel(Path dir) {
    return Files.isRegularFile(dir.resolve(SAVED_MODEL_FILE));
  }

  /**
   * The highest version under {@code modelDir} (a {@code <modelsDir>/<name>} directory) whose
   * directory holds a SavedModel, as TF Serving's latest-version policy picks it.
   *
   * @return empty if there is none or {@code modelDir} is not a directory
   */
  public static OptionalLong latestVersion(Path modelDir) {
    return highestVersion(modelDir, true);
  }

  /**
   * The highest version directory name under {@code modelDir}, whether or not it holds a
   * SavedModel: a new version must be above it to be new.
   *
   * @return empty if there is none or {@code modelDir} is not a directory
   */
  public static OptionalLong highestVersionDirectory(Path modelDir) {
    return highestVersion(modelDir, false);
  }

  /**
   * The directory of {@link #latestVersion}, named as it is listed: TF Serving parses version names
   * as integers, so {@code 007} is version 7 and is served from {@code 007}.
   *
   * <p>A higher version being replaced by an overwriting export ({@code export}'s {@code
   * SavedModelExporter}) is absent for the instant between its two renames, leaving only its {@code
   * .old-<version>-*} copy: then this waits (up to {@value #SWAP_WAIT_MILLIS} ms) for it to
   * reappear rather than answer an older version. A retired copy that stays alone (a crashed
   * export, repaired by the next one) is ignored after the wait.
   *
   * @return empty if there is no servable version or {@code modelDir} is not a directory
   * @throws IllegalStateException if two directories name the highest version ({@code 7} and {@code
   *     007}), which TF Serving would pick between in listing order
   */
  public static Optional<Path> latestVersionDirectory(Path modelDir) {
    long deadline = System.nanoTime() + SWAP_WAIT_MILLIS * 1_000_000L;
    while (true) {
      Optional<Path> latest = listedLatestVersionDirectory(modelDir);
      // Looked for after listing: a retired copy is deleted only after the second rename, so a
      // listing taken between the two renames always finds it here.
      OptionalLong replacing = highestRetiredVersion(modelDir);
      boolean olderThanReplaced =
          replacing.isPresent()
              && latest.map(dir -> Long.parseLong(dir.getFileName().toString())).orElse(-1L)
                  < replacing.getAsLong();
      if (!olderThanReplaced || System.nanoTime() > deadline) {
        return latest;
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return latest;
      }
    }
  }

  private static Optional<Path> listedLatestVersionDirectory(Path modelDir) {
    OptionalLong latest = latestVersion(modelDir);
    if (latest.isEmpty()) {
      return Optional.empty();
    }
    List<Path> named =
        servableVersionDirectories(modelDir).stream()
            .filter(child -> Long.parseLong(child.getFileName().toString()) == latest.getAsLong())
            .sorted()
            .toList();
    if (named.size() > 1) {
      throw new IllegalStateException(
          modelDir
              + " holds "
              + named.size()
              + " directories for version "
              + latest.getAsLong()
              + " "
              + named.stream().map(p -> p.getFileName().toString()).toList()
              + ": keep one of them");
    }
    return Optional.of(named.get(0));
  }

  /**
   * The name of the version directory {@code entry} is a retired copy of, {@code <version>} if its
   * name is {@code .old-<version>-<hex>}.
   *
   * @return empty if {@code entry} is not named as a retired copy
   */
  public static Optional<String> retiredVersionName(Path entry) {
    Matcher retired = RETIRED.matcher(entry.getFileName().toString());
    return retired.matches() ? Optional.of(retired.group(1)) : Optional.empty();
  }

  /**
   * The highest version of {@code modelDir} with a retired {@code .old-*} copy: one an overwriting
   * export is replacing (or has just replaced, or a crash left aside).
   *
   * @return empty if there is none or the directory cannot be listed
   */
  private static OptionalLong highestRetiredVersion(Path modelDir) {
    OptionalLong highest = OptionalLong.empty();
    try (DirectoryStream<Path> entries =
        Files.newDirectoryStream(modelDir, RETIRED_PREFIX + "-*")) {
      for (Path entry : entries) {
        Optional<String> name = retiredVersionName(entry);
        if (name.isPresent()) {
          long version = Long.parseLong(name.get());
          if (highest.isEmpty() || version > highest.getAsLong()) {
            highest = OptionalLong.of(version);
          }
        }
      }
    } catch (IOException e) {
      return OptionalLong.empty();
    }
    return highest;
  }

  private static List<Path> servableVersionDirectories(Path modelDir) {
    try (Stream<Path> children = Files.list(modelDir)) {
      return children
          .filter(child -> VERSION.matcher(child.getFileName().toString()).matches())
          .filter(ServingLayout::isSavedModel)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list model versions in " + modelDir, e);
    }
  }

  private static OptionalLong highestVersion(Path modelDir, boolean servableOnly) {
    if (!Files.isDirectory(modelDir)) {
      return OptionalLong.empty();
    }
    try (Stream<Path> children = Files.list(modelDir)) {
      return children
          .filter(child -> VERSION.matcher(child.getFileName().toString()).matches())
          .filter(child -> servableOnly ? isSavedModel(child) : Files.isDirectory(child))
          .mapToLong(child -> Long.parseLong(child.getFileName().toString()))
          .max();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list model versions in " + modelDir, e);
    }
  }

  /**
   * Requires {@code name} to be usable as one path segment for TF Serving: letters, digits, {@code
   * .}, {@code _} and {@code -}, starting with a letter or digit.
   */
  public static String requireModelName(String name) {
    if (name == null || !MODEL_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "Model name must match "
              + MODEL_NAME.pattern()
              + " (one directory name, not hidden);"
              + " got "
              + (name == null ? "null" : "'" + name + "'"));
    }
    return name;
  }

  /** Requires {@code version >= 0}: TF Serving versions are non-negative integers. */
  public static long requireVersion(long version) {
    if (version < 0) {
      throw new IllegalArgumentException(
          "Model version must be a non-negative integer (TF Serving's version directory); got "
              + version);
    }
    return version;
  }
}
