package io.github.resnetjava.bench;

import io.github.resnetjava.serving.Classifier;
import io.github.resnetjava.serving.Prediction;
import io.github.resnetjava.serving.SessionConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Checks that faster ways of serving ResNet-50 answer like the plain export: 100 images through
 * each, counting the images whose top class is the same and the largest probability difference.
 * Compares the optimized export with the plain one (both float32), and the optimized export with
 * bfloat16 compute with the same in float32. Writes {@code <comparison>.images}, {@code
 * <comparison>.sameTopClass} and {@code <comparison>.maxProbabilityDifference} for comparisons
 * {@code optimized} and {@code bfloat16} to a properties file that {@link BenchmarkReport} reads.
 */
public final class ExportAgreement {
  private static final int IMAGES = 100;
  private static final int BATCH = 10;

  /** How two ways of classifying the same images agree. */
  private record Agreement(int sameTopClass, double maxProbabilityDifference) {}

  private ExportAgreement() {}

  /** Entry point: {@code <output.properties>}. */
  public static void main(String[] args) throws IOException {
    Properties properties = new Properties();
    SessionConfig float32 = SessionConfig.defaults();
    try (Classifier plain = Classifier.load(ExportVariant.PLAIN.modelDir(), float32);
        Classifier optimized = Classifier.load(ExportVariant.OPTIMIZED.modelDir(), float32)) {
      record(properties, "optimized", compare(plain, optimized));
    }
    try (Classifier optimized = Classifier.load(ExportVariant.OPTIMIZED.modelDir(), float32);
        Classifier bfloat16 =
            Classifier.load(ExportVariant.OPTIMIZED.modelDir(), float32.withBfloat16(true))) {
      record(properties, "bfloat16", compare(optimized, bfloat16));
      bfloat16
          .bfloat16Refusal()
          .ifPresent(
              refusal -> {
                properties.setProperty("bfloat16.refused", refusal);
                System.out.println("bfloat16 refused when the Classifier loaded: " + refusal);
              });
    }
    try (var out = Files.newBufferedWriter(Path.of(args[0]), StandardCharsets.UTF_8)) {
      properties.store(out, "Top-1 agreement with the float32 plain or optimized export");
    }
  }

  private static Agreement compare(Classifier expected, Classifier actual) {
    int same = 0;
    double maxDifference = 0;
    for (int start = 0; start < IMAGES; start += BATCH) {
      float[] images = BenchImages.preprocessed(BATCH, BenchImages.SIDE, start);
      List<List<Prediction>> want = expected.classify(images, BATCH, BenchImages.CLASSES);
      List<List<Prediction>> got = actual.classify(images, BATCH, BenchImages.CLASSES);
      for (int b = 0; b < BATCH; b++) {
        if (want.get(b).get(0).classIndex() == got.get(b).get(0).classIndex()) {
          same++;
        }
        maxDifference = Math.max(maxDifference, maxDifference(want.get(b), got.get(b)));
      }
    }
    return new Agreement(same, maxDifference);
  }

  private static void record(Properties properties, String comparison, Agreement agreement) {
    properties.setProperty(comparison + ".images", Integer.toString(IMAGES));
    properties.setProperty(
        comparison + ".sameTopClass", Integer.toString(agreement.sameTopClass()));
    properties.setProperty(
        comparison + ".maxProbabilityDifference",
        String.format(Locale.ROOT, "%.3g", agreement.maxProbabilityDifference()));
    System.out.printf(
        Locale.ROOT,
        "%s: same top class for %d of %d images; max |dp| %.3g%n",
        comparison,
        agreement.sameTopClass(),
        IMAGES,
        agreement.maxProbabilityDifference());
  }

  /** Largest difference between two full rankings' probabilities, class by class. */
  private static double maxDifference(List<Prediction> expected, List<Prediction> actual) {
    float[] byClass = new float[BenchImages.CLASSES];
    expected.forEach(p -> byClass[p.classIndex()] = p.probability());
    double max = 0;
    for (Prediction p : actual) {
      max = Math.max(max, Math.abs(byClass[p.classIndex()] - p.probability()));
    }
    return max;
  }
}
