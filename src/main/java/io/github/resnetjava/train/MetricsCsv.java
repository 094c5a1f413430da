package io.github.resnetjava.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * A run's metrics as CSV, one row per training step, like Keras' {@code CSVLogger}: {@value
 * #HEADER}. {@code step} counts completed steps (the global step after the update); {@code
 * validation_accuracy} is empty except at the steps where the validation set was evaluated.
 *
 * <p>A resumed run keeps the rows up to the checkpoint's step and drops the ones a killed run wrote
 * after it, so the file reads as one uninterrupted run. Rows are flushed as they are written, so
 * the file is current while training runs.
 */
public final class MetricsCsv implements AutoCloseable {
  /** The header line. */
  public static final String HEADER =
      "step,learning_rate,loss,cross_entropy,train_accuracy,validation_accuracy,images_per_second";

  /**
   * One row.
   *
   * @param step completed steps
   * @param learningRate the rate of the step's update
   * @param loss total loss (cross-entropy plus weight decay)
   * @param crossEntropy the cross-entropy part
   * @param trainAccuracy training-mode accuracy on the step's batch, 0..1
   * @param validationAccuracy inference accuracy on the validation set, when evaluated, 0..1
   * @param imagesPerSecond recent training throughput
   */
  public record Row(
      long step,
      double learningRate,
      double loss,
      double crossEntropy,
      double trainAccuracy,
      OptionalDouble validationAccuracy,
      double imagesPerSecond) {

    String format() {
      return String.format(
          Locale.ROOT,
          "%d,%.6g,%.6f,%.6f,%.6f,%s,%.1f",
          step,
          learningRate,
          loss,
          crossEntropy,
          trainAccuracy,
          validationAccuracy.isPresent()
              ? String.format(Locale.ROOT, "%.6f", validationAccuracy.getAsDouble())
              : "",
          imagesPerSecond);
    }

    static Row parse(String line) {
      String[] fields = line.split(",", -1);
      if (fields.length != 7) {
        throw new IllegalArgumentException("Expected 7 comma-separated fields: " + line);
      }
      return new Row(
          Long.parseLong(fields[0]),
          Double.parseDouble(fields[1]),
          Double.parseDouble(fields[2]),
          Double.parseDouble(fields[3]),
          Double.parseDouble(fields[4]),
          fields[5].isEmpty()
              ? OptionalDouble.empty()
              : OptionalDouble.of(Double.parseDouble(fields[5])),
          Double.parseDouble(fields[6]));
    }
  }

  private final Path file;
  private final BufferedWriter writer;

  private MetricsCsv(Path file, BufferedWriter writer) {
    this.file = file;
    this.writer = writer;
  }

  /**
   * Starts {@code file} afresh with the header.
   *
   * @throws UncheckedIOException if it cannot be written
   */
  public static MetricsCsv create(Path file) {
    return resume(file, -1);
  }

  /**
   * Continues {@code file} for a run resumed after {@code completedSteps} steps: rows up to that
   * step are kept, later ones dropped. A missing file is started afresh.
   *
   * @throws UncheckedIOException if it cannot be read or written
   */
  public static MetricsCsv resume(Path file, long completedSteps) {
    try {
      List<String> kept = new ArrayList<>();
      kept.add(HEADER);
      if (completedSteps >= 0 && Files.isRegularFile(file)) {
        for (Row row : read(file)) {
          if (row.step() <= completedSteps) {
            kept.add(row.format());
          }
        }
      }
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Files.write(file, kept, StandardCharsets.UTF_8);
      return new MetricsCsv(
          file, Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write metrics file " + file, e);
    }
  }

  /**
   * The rows of a metrics file.
   *
   * @throws UncheckedIOException if it cannot be read
   * @throws IllegalArgumentException if it is not a metrics file
   */
  public static List<Row> read(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
        throw new IllegalArgumentException(
            file + " is not a metrics file: its header is not " + HEADER);
      }
      List<Row> rows = new ArrayList<>();
      for (String line : lines.subList(1, lines.size())) {
        if (!line.isBlank()) {
          rows.add(Row.parse(line));
        }
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read metrics file " + file, e);
    }
  }

  /** Appends and flushes one row. */
  public void append(Row row) {
    try {
      writer.write(row.format());
      writer.newLine();
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write metrics file " + file, e);
    }
  }

  /** The file written. */
  public Path file() {
    return file;
  }

  @Override
  public void close() {
    try {
      writer.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot close metrics file " + file, e);
    }
  }
}
