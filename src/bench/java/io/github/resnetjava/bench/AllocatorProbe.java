package io.github.resnetjava.bench;

import io.github.resnetjava.runtime.CpuAllocatorPolicy;
import io.github.resnetjava.serving.Classifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One process's view of TensorFlow's CPU allocator ({@link CpuAllocatorPolicy}): loads a SavedModel
 * with the library's defaults, classifies a batch for a while and prints one tab-separated line:
 * the allocator setting TensorFlow read ({@value CpuAllocatorPolicy#ENVIRONMENT_VARIABLE}),
 * images/s, the median milliseconds per run, the minor page faults per run and the share of the
 * process's CPU time spent in the kernel ({@code /proc/self/stat}), and the peak RSS. {@code
 * scripts/bench.sh --allocator} runs it in alternating processes with and without the BFC
 * allocator, because what it measures (the state glibc's malloc settles in) differs between
 * processes, not between calls.
 *
 * <p>Usage: {@code AllocatorProbe <savedmodel-dir> <batch> <seconds>}.
 */
public final class AllocatorProbe {
  private AllocatorProbe() {}

  /** Prints {@code setting images/s median-ms faults-per-run system-share peak-rss-MiB}. */
  public static void main(String[] args) throws IOException {
    Path model = Path.of(args[0]);
    int batch = Integer.parseInt(args[1]);
    long nanos = (long) (Double.parseDouble(args[2]) * 1e9);
    float[] images = BenchImages.preprocessed(batch, BenchImages.SIDE);
    try (Classifier classifier = Classifier.load(model)) {
      for (int i = 0; i < 3; i++) {
        classifier.classify(images, batch, 5);
      }
      long[] before = processStat();
      double[] millis = new double[100_000];
      int runs = 0;
      long start = System.nanoTime();
      while (System.nanoTime() - start < nanos && runs < millis.length) {
        long t = System.nanoTime();
        classifier.classify(images, batch, 5);
        millis[runs++] = (System.nanoTime() - t) / 1e6;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long[] after = processStat();
      double[] sorted = Arrays.copyOf(millis, runs);
      Arrays.sort(sorted);
      long userTicks = after[1] - before[1];
      long systemTicks = after[2] - before[2];
      System.out.printf(
          "%s\t%.2f\t%.0f\t%d\t%.0f%%\t%d%n",
          CpuAllocatorPolicy.prepare().orElse("unset"),
          batch * runs / seconds,
          sorted[runs / 2],
          (after[0] - before[0]) / runs,
          100.0 * systemTicks / Math.max(1, userTicks + systemTicks),
          PeakRss.kib() / 1024);
    }
  }

  /** Minor page faults, user and system clock ticks of this process ({@code proc(5)}). */
  private static long[] processStat() throws IOException {
    String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // After the command: state is field 3, minflt 10, utime 14, stime 15 (1-based, proc(5)).
    return new long[] {
      Long.parseLong(fields[7]), Long.parseLong(fields[11]), Long.parseLong(fields[12])
    };
  }
}
