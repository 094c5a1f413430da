package io.github.resnetjava.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's peak resident set size ({@code VmHWM} in {@code /proc/self/status}): what a
 * benchmark fork that loaded one model and served it peaked at, Java heap and native TensorFlow
 * memory together.
 */
final class PeakRss {
  /** System property naming the file a fork writes its peak RSS to (none without it). */
  static final String FILE_PROPERTY = "resnet.bench.rssFile";

  private PeakRss() {}

  /** Peak RSS in KiB, or -1 where {@code /proc/self/status} has no {@code VmHWM} (not Linux). */
  static long kib() {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return -1;
    }
    try {
      return Files.readAllLines(status, StandardCharsets.US_ASCII).stream()
          .filter(line -> line.startsWith("VmHWM:"))
          .map(line -> line.replaceAll("[^0-9]", ""))
          .mapToLong(Long::parseLong)
          .findFirst()
          .orElse(-1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@link #kib()} to the file {@value #FILE_PROPERTY} names, if it names one. */
  static void report() {
    String file = System.getProperty(FILE_PROPERTY);
    if (file == null) {
      return;
    }
    try {
      Files.writeString(Path.of(file), Long.toString(kib()), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
