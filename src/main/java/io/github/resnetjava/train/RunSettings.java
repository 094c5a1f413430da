package io.github.resnetjava.train;

import io.github.resnetjava.export.DurableFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * The settings a run's checkpoints were trained with, kept beside them as {@value #FILE}: every
 * {@link TrainingConfig} component (the schedule's length and shape, the seed and the batch size
 * decide which batch and which rate each step gets) and the class names in label order (a renamed
 * class folder reorders the labels). TF's Estimator keeps the same kind of record in its model
 * directory ({@code graph.pbtxt}, {@code params}); resuming with other settings silently trains a
 * different run, so {@link TrainingRun} compares them first.
 *
 * @param values setting name to its text, in a stable order
 */
public record RunSettings(Map<String, String> values) {
  /** The settings file in the run directory. */
  public static final String FILE = "run.properties";

  private static final String CLASS_KEY = "class.";

  /** Copies {@code values}, keeping its order. */
  public RunSettings {
    values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** The settings of {@code config} training on classes {@code classNames}, in label order. */
  public static RunSettings of(TrainingConfig config, List<String> classNames) {
    Map<String, String> values = new LinkedHashMap<>();
    for (RecordComponent component : TrainingConfig.class.getRecordComponents()) {
      try {
        values.put(component.getName(), String.valueOf(component.getAccessor().invoke(config)));
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException("Cannot read TrainingConfig." + component.getName(), e);
      }
    }
    for (int label = 0; label < classNames.size(); label++) {
      values.put(CLASS_KEY + label, classNames.get(label));
    }
    return new RunSettings(values);
  }

  /**
   * The settings stored in {@code runDirectory}, or empty if it has none (a run directory of an
   * earlier version).
   *
   * @throws UncheckedIOException if the file exists but cannot be read
   */
  public static Optional<RunSettings> read(Path runDirectory) {
    Path file = runDirectory.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      throw new UncheckedIOException(new IOException("Cannot read run settings " + file, e));
    }
    Map<String, String> values = new LinkedHashMap<>();
    properties.stringPropertyNames().stream()
        .sorted()
        .forEach(name -> values.put(name, properties.getProperty(name)));
    return Optional.of(new RunSettings(values));
  }

  /**
   * Writes these settings to {@code runDirectory}'s {@value #FILE}, replacing it atomically
   * (temporary file, fsync, rename).
   *
   * @throws UncheckedIOException if writing fails
   */
  public void write(Path runDirectory) {
    Path file = runDirectory.resolve(FILE);
    Path temp = runDirectory.resolve(".tmp-" + FILE);
    Properties properties = new Properties();
    properties.putAll(values);
    try {
      try (Writer writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
        properties.store(writer, "The settings of this run's checkpoints (resnet-java train)");
      }
      DurableFiles.syncFile(temp);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      DurableFiles.syncDirectory(runDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write run settings " + file, e);
    }
  }

  /**
   * The settings that differ from {@code current}, one line each: {@code "steps: '100' in the run,
   * '200' now"}, where these are the run's settings; empty if none.
   */
  public List<String> differencesFrom(RunSettings current) {
    List<String> names = new ArrayList<>(values.keySet());
    current.values.keySet().stream().filter(name -> !values.containsKey(name)).forEach(names::add);
    List<String> differences = new ArrayList<>();
    for (String name : names) {
      String was = values.get(name);
      String now = current.values.get(name);
      if (!Objects.equals(was, now)) {
        differences.add(name + ": " + describe(was) + " in the run, " + describe(now) + " now");
      }
    }
    return differences;
  }

  private static String describe(String value) {
    return value == null ? "absent" : "'" + value + "'";
  }
}
