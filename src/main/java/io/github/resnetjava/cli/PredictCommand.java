package io.github.resnetjava.cli;

import io.github.resnetjava.preprocessing.ImageLimits;
import io.github.resnetjava.runtime.OneDnnPolicy;
import io.github.resnetjava.runtime.TensorFlowStartup;
import io.github.resnetjava.serving.Classifier;
import io.github.resnetjava.serving.InvalidInputException;
import io.github.resnetjava.serving.Prediction;
import io.github.resnetjava.serving.SessionConfig;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code resnet predict}: loads an exported model once and prints, for each image file, its top-k
 * classes and how long the classification took.
 *
 * <p>Images go through the {@code image_bytes} signature, so decoding, resizing and cropping run in
 * the graph and count towards the latency, as they would in TF Serving. A warm-up run on a blank
 * picture comes first, so the first image's latency does not include TensorFlow's one-time graph
 * setup. An image TensorFlow cannot decode is reported and skipped; the exit code is then {@value
 * CliErrors#FAILED}.
 */
@Command(
    name = "predict",
    description =
        "Classify image files (JPEG, PNG, GIF, BMP) with an exported model: top-k"
            + " classes and latency per image.")
final class PredictCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HelpOption help;

  @Parameters(
      index = "0",
      paramLabel = "MODEL_DIR",
      description = "A SavedModel directory, or <models>/<name> to load its highest version.")
  Path modelDir;

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "IMAGE",
      description = "Image files to classify.")
  List<Path> images;

  @Option(
      names = "--top-k",
      paramLabel = "K",
      defaultValue = "5",
      converter = OptionConverters.PositiveInt.class,
      description = "Classes to print per image (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(
      names = "--max-megapixels",
      paramLabel = "N",
      defaultValue = "40",
      converter = OptionConverters.PositiveInt.class,
      description =
          "Refuse images of more megapixels, from their header, before decoding"
              + " (default: ${DEFAULT-VALUE}).")
  int maxMegapixels;

  @Option(
      names = "--max-aspect-ratio",
      paramLabel = "R",
      defaultValue = "20",
      converter = OptionConverters.PositiveInt.class,
      description =
          "Refuse images whose longer side is more than R times the shorter"
              + " (default: ${DEFAULT-VALUE}).")
  int maxAspectRatio;

  @Override
  public Integer call() throws IOException {
    // Before anything loads TensorFlow, which reads its oneDNN switch once.
    TensorFlowStartup.prepareFor(OneDnnPolicy.Workload.INFERENCE);
    if (!Files.isDirectory(modelDir)) {
      throw new ParameterException(spec.commandLine(), "model directory not found: " + modelDir);
    }
    for (Path image : images) {
      if (!Files.isRegularFile(image)) {
        throw new ParameterException(spec.commandLine(), "image file not found: " + image);
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int failures = 0;
    ImageLimits limits = new ImageLimits(maxMegapixels * 1_000_000L, maxAspectRatio);
    try (Classifier classifier = Classifier.load(modelDir, SessionConfig.defaults(), limits)) {
      out.printf(
          Locale.ROOT,
          "Model: %s (%d classes, %dx%d input)%n",
          classifier.savedModelDir(),
          classifier.numClasses(),
          classifier.resizeDim(),
          classifier.resizeDim());
      out.printf(Locale.ROOT, "Warm-up: %.1f ms%n", millis(() -> warmUp(classifier)));
      for (Path image : images) {
        byte[] bytes = Files.readAllBytes(image);
        long start = System.nanoTime();
        List<Prediction> top;
        try {
          top = classifier.classifyEncoded(bytes, topK);
        } catch (InvalidInputException e) {
          err.println(spec.qualifiedName() + ": error: " + image + ": " + CliErrors.firstLine(e));
          err.flush();
          failures++;
          continue;
        }
        double latencyMillis = (System.nanoTime() - start) / 1e6;
        out.println();
        out.printf(Locale.ROOT, "%s  (%.1f ms)%n", image, latencyMillis);
        out.print(PredictionTable.render(top));
        out.flush();
      }
    }
    if (failures > 0) {
      err.println(
          spec.qualifiedName()
              + ": "
              + failures
              + " of "
              + images.size()
              + " images could not be classified");
      err.flush();
      return CliErrors.FAILED;
    }
    return 0;
  }

  /** Runs the image path once, so later latencies exclude TensorFlow's first-run setup. */
  private static void warmUp(Classifier classifier) {
    int side = classifier.resizeDim();
    BufferedImage blank = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    classifier.classifyEncoded(SampleImages.encode(blank, "png"), 1);
  }

  private static double millis(Runnable action) {
    long start = System.nanoTime();
    action.run();
    return (System.nanoTime() - start) / 1e6;
  }
}
