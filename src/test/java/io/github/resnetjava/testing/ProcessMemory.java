package io.github.resnetjava.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's resident memory from Linux's {@code /proc/self/status}: the current RSS ({@code
 * VmRSS}) and the peak ({@code VmHWM}), which {@link #resetPeak()} sets back to the current RSS
 * (writing {@code 5} to {@code /proc/self/clear_refs}, Linux 4.0 and later). Java heap and native
 * TensorFlow memory count alike, so a test can bound what one call allocated at its peak even when
 * the memory is freed before the call returns.
 */
public final class ProcessMemory {
  private static final Path STATUS = Path.of("/proc/self/status");
  private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

  private ProcessMemory() {}

  /** Sets the peak RSS back to the current RSS. */
  public static void resetPeak() {
    try {
      Files.writeString(CLEAR_REFS, "5", StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot reset the peak RSS through " + CLEAR_REFS, e);
    }
  }

  /** The current resident set size in KiB. */
  public static long rssKib() {
    return field("VmRSS:");
  }

  /** The peak resident set size since the last {@link #resetPeak()} in KiB. */
  public static long peakRssKib() {
    return field("VmHWM:");
  }

  private static long field(String name) {
    try {
      return Files.readAllLines(STATUS, StandardCharsets.US_ASCII).stream()
          .filter(line -> line.startsWith(name))
          .map(line -> line.replaceAll("[^0-9]", ""))
          .mapToLong(Long::parseLong)
          .findFirst()
          .orElseThrow(() -> new IllegalStateException(STATUS + " has no " + name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
