package io.github.resnetjava.bench;

import io.github.resnetjava.serving.Classifier;
import io.github.resnetjava.spark.ClassifyJob;
import io.github.resnetjava.spark.SparkClassifier;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Images per second of {@link SparkClassifier} on a local Spark with 1 and 2 executor threads
 * against {@link Classifier#classifyEncoded(List, int)} in-process with 1 and 2 calling threads, at
 * the same batch size, on the same JPEG files held in memory (Spark's from a cached {@code
 * binaryFile} read), so both sides pay decoding, preprocessing and inference and nothing else. The
 * four are interleaved round by round (in-process and Spark swapping places every round), so a
 * change in the machine's load hits all of them.
 *
 * <p>Arguments: {@code --model DIR --work DIR [--images N] [--batch B] [--rounds R]}. Prints one
 * line per measurement and a Markdown table of medians and Spark/in-process ratios.
 */
public final class SparkThroughputBenchmark {
  private static final int TOP_K = 5;

  private SparkThroughputBenchmark() {}

  /** Entry point; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    Path model = null;
    Path work = null;
    int images = 256;
    int batch = SparkClassifier.DEFAULT_BATCH_SIZE;
    int rounds = 3;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--model" -> model = Path.of(args[i + 1]);
        case "--work" -> work = Path.of(args[i + 1]);
        case "--images" -> images = Integer.parseInt(args[i + 1]);
        case "--batch" -> batch = Integer.parseInt(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("Unknown argument " + args[i]);
      }
    }
    if (model == null || work == null) {
      throw new IllegalArgumentException("--model DIR and --work DIR are required");
    }
    Path imageDir = writeJpegs(work.resolve("images"), images);
    List<byte[]> files = new ArrayList<>();
    try (var listing = Files.list(imageDir)) {
      for (Path file : listing.sorted().toList()) {
        files.add(Files.readAllBytes(file));
      }
    }
    String[] names = {
      "in-process, 1 thread", "Spark local[1]", "in-process, 2 threads", "Spark local[2]"
    };
    double[][] rates = new double[names.length][rounds];
    try (Classifier classifier = Classifier.load(model)) {
      classifier.classifyEncoded(files.subList(0, Math.min(batch, files.size())), TOP_K);
      for (int round = 0; round < rounds; round++) {
        for (int threads = 1; threads <= 2; threads++) {
          int at = (threads - 1) * 2;
          // Odd rounds run Spark first, so neither side always follows the other.
          for (int side = 0; side < 2; side++) {
            int which = at + (side ^ (round % 2));
            rates[which][round] =
                which == at
                    ? inProcess(classifier, files, batch, threads)
                    : spark(model, imageDir, batch, threads);
            report(names[which], round, rates[which][round]);
          }
        }
      }
    }
    System.out.println();
    System.out.println(
        "| Executor threads | In-process Classifier (images/s) | Spark local[N] (images/s) | Spark / in-process |");
    System.out.println("|---:|---:|---:|---:|");
    for (int threads = 1; threads <= 2; threads++) {
      int at = (threads - 1) * 2;
      double[] ratios = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        ratios[r] = rates[at + 1][r] / rates[at][r];
      }
      System.out.printf(
          Locale.ROOT,
          "| %d | %.2f | %.2f | %.2fx (rounds: %s) |%n",
          threads,
          median(rates[at]),
          median(rates[at + 1]),
          median(ratios),
          format(ratios));
    }
    System.out.printf(
        Locale.ROOT,
        "%n%d JPEG images (%s), batch %d, top-%d, %d rounds, medians%n",
        images,
        "320x240",
        batch,
        TOP_K,
        rounds);
  }

  /** Images/s of the Classifier with {@code threads} threads taking batches off one queue. */
  private static double inProcess(Classifier classifier, List<byte[]> files, int batch, int threads)
      throws Exception {
    List<List<byte[]>> batches = new ArrayList<>();
    for (int i = 0; i < files.size(); i += batch) {
      batches.add(files.subList(i, Math.min(files.size(), i + batch)));
    }
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      long start = System.nanoTime();
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        running.add(
            pool.submit(
                () -> {
                  for (int b; (b = next.getAndIncrement()) < batches.size(); ) {
                    classifier.classifyEncoded(batches.get(b), TOP_K);
                  }
                }));
      }
      for (Future<?> f : running) {
        f.get();
      }
      return files.size() / ((System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdown();
    }
  }

  /**
   * Images/s of {@link SparkClassifier} on {@code local[threads]} over the cached files, 4
   * partitions per thread, after an untimed job on one batch per thread (the JVM's model load,
   * Spark's code generation).
   */
  private static double spark(Path model, Path imageDir, int batch, int threads) {
    SparkSession spark =
        SparkSession.builder()
            .master("local[" + threads + "]")
            .appName("spark-throughput")
            .config("spark.ui.enabled", false)
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .getOrCreate();
    try {
      Dataset<Row> files =
          ClassifyJob.read(spark, imageDir.toString()).repartition(4 * threads).cache();
      long count = files.count();
      classifyAll(files.limit(batch * threads), model, batch);
      long start = System.nanoTime();
      classifyAll(files, model, batch);
      return count / ((System.nanoTime() - start) / 1e9);
    } finally {
      spark.stop();
    }
  }

  private static void classifyAll(Dataset<Row> files, Path model, int batch) {
    SparkClassifier.classify(files, model.toString(), TOP_K, batch)
        .write()
        .format("noop")
        .mode(SaveMode.Overwrite)
        .save();
  }

  /** {@code count} 320x240 JPEGs of gradients and noise, written once. */
  private static Path writeJpegs(Path dir, int count) throws IOException {
    Files.createDirectories(dir);
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < count; i++) {
      Path file = dir.resolve(String.format(Locale.ROOT, "image-%05d.jpg", i));
      if (Files.exists(file)) {
        continue;
      }
      BufferedImage image = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < 240; y++) {
        for (int x = 0; x < 320; x++) {
          int noise = random.nextInt(40);
          image.setRGB(
              x,
              y,
              ((x * 255 / 319 + noise) % 256) << 16
                  | ((y * 255 / 239 + noise) % 256) << 8
                  | ((x + y + i * 13) % 256));
        }
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, "jpg", out);
      Files.write(file, out.toByteArray());
    }
    return dir;
  }

  private static void report(String name, int round, double rate) {
    System.out.printf(Locale.ROOT, "round %d  %-22s %8.2f images/s%n", round + 1, name, rate);
    System.out.flush();
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static String format(double[] values) {
    StringBuilder s = new StringBuilder();
    for (double v : values) {
      s.append(s.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", v));
    }
    return s.toString();
  }
}
