package io.github.resnetjava.savedmodel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
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
   * as integers, so {@code 007} is version 7 and is served from {@code 007}. Listed as {@link
   * #servableVersionDirectories} lists, so a version in the middle of an overwrite is waited for.
   *
   * @return empty if there is no servable version or {@code modelDir} is not a directory
   * @throws IllegalStateException if two directories name the highest version ({@code 7} and {@code
   *     007}), which TF Serving would pick between in listing order
   */
  public static Optional<Path> latestVersionDirectory(Path modelDir) {
    if (!Files.isDirectory(modelDir)) {
      return Optional.empty();
    }
    List<Path> servable = servableVersionDirectories(modelDir);
    OptionalLong latest = servable.stream().mapToLong(ServingLayout::versionOf).max();
    if (latest.isEmpty()) {
      return Optional.empty();
    }
    List<Path> named =
        servable.stream().filter(child -> versionOf(child) == latest.getAsLong()).toList();
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
   * The version directories of {@code modelDir} that hold a SavedModel, in name order, named as
   * listed ({@code 007} stays {@code 007}; {@link #versionOf} parses it as TF Serving does).
   *
   * <p>A version being replaced by an overwriting export ({@code export}'s {@code
   * SavedModelExporter}) is absent for the instant between its two renames, leaving only its {@code
   * .old-<version>-*} copy: while a version has such a copy and no directory, this lists again (for
   * up to {@value #SWAP_WAIT_MILLIS} ms) rather than answer without it, so a loader or a server's
   * poller never takes a version for removed because it listed mid-swap. A retired copy that stays
   * alone (a crashed export, repaired by the next one) is ignored after the wait.
   *
   * @return empty if there is none or {@code modelDir} cannot be listed (a deleted model)
   */
  public static List<Path> servableVersionDirectories(Path modelDir) {
    long deadline = System.nanoTime() + SWAP_WAIT_MILLIS * 1_000_000L;
    while (true) {
      List<Path> listed = listServableVersionDirectories(modelDir);
      // Looked for after listing: a retired copy is deleted only after the second rename, so a
      // listing taken between the two renames always finds it here.
      Set<Long> replacing = retiredVersions(modelDir);
      listed.forEach(dir -> replacing.remove(versionOf(dir)));
      if (replacing.isEmpty() || System.nanoTime() > deadline) {
        return listed;
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return listed;
      }
    }
  }

  /** The version a version directory names: its decimal name parsed ({@code 007} is 7). */
  public static long versionOf(Path versionDir) {
    return Long.parseLong(versionDir.getFileName().toString());
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
   * The versions of {@code modelDir} with a retired {@code .old-*} copy: ones an overwriting export
   * is replacing (or has just replaced, or a crash left aside).
   *
   * @return empty if there is none or the directory cannot be listed
   */
  private static Set<Long> retiredVersions(Path modelDir) {
    Set<Long> versions = new TreeSet<>();
    try (DirectoryStream<Path> entries =
        Files.newDirectoryStream(modelDir, RETIRED_PREFIX + "-*")) {
      for (Path entry : entries) {
        retiredVersionName(entry).ifPresent(name -> versions.add(Long.parseLong(name)));
      }
    } catch (IOException e) {
      return new TreeSet<>();
    }
    return versions;
  }

  private static List<Path> listServableVersionDirectories(Path modelDir) {
    try (Stream<Path> children = Files.list(modelDir)) {
      return children
          .filter(child -> VERSION.matcher(child.getFileName().toString()).matches())
          .filter(ServingLayout::isSavedModel)
          .sorted()
          .toList();
    } catch (IOException | UncheckedIOException e) {
      return List.of();
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
