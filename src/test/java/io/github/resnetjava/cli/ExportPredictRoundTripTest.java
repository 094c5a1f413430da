package io.github.resnetjava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export}, {@code generate-images} and {@code predict} together on a tiny ResNet-18, as the
 * demo script runs them.
 */
class ExportPredictRoundTripTest {
  private static final List<String> LABELS = List.of("circle", "square", "triangle");

  @TempDir static Path dir;
  private static Path models;
  private static List<String> images;

  @BeforeAll
  static void exportATinyModelAndDrawImages() throws IOException {
    models = dir.resolve("models");
    Path labels = Files.write(dir.resolve("labels.txt"), LABELS);
    CliRun export =
        CliRun.of(
            "export",
            "--depth",
            "18",
            "--classes",
            "3",
            "--min-aspect-dim",
            "40",
            "--resize-dim",
            "32",
            "--seed",
            "5",
            "--output-dir",
            models.toString(),
            "--name",
            "tiny",
            "--labels",
            labels.toString());
    assertEquals(0, export.exitCode(), export.err());
    Path version = models.resolve("tiny").resolve("1");
    assertTrue(
        export
            .out()
            .startsWith("Exported ResNet-18 v2 (3 classes, channels_last) to " + version + " in "),
        export.out());
    assertTrue(Files.isRegularFile(version.resolve("saved_model.pb")));
    assertEquals(LABELS, Files.readAllLines(version.resolve("labels.txt")));

    CliRun generate =
        CliRun.of("generate-images", "--output-dir", dir.resolve("images").toString());
    assertEquals(0, generate.exitCode(), generate.err());
    images = generate.out().lines().toList();
  }

  @Test
  void predictPrintsATopKTableWithLatencyForEveryImage() {
    List<String> args =
        new ArrayList<>(List.of("predict", "--top-k", "3", models.resolve("tiny").toString()));
    args.addAll(images);
    CliRun run = CliRun.of(args.toArray(new String[0]));

    assertEquals(0, run.exitCode(), run.err());
    assertTrue(
        run.out()
            .startsWith(
                "Model: " + models.resolve("tiny").resolve("1") + " (3 classes, 32x32 input)\n"),
        run.out());
    for (String image : images) {
      List<String> block = blockOf(run.out(), image);
      assertTrue(
          block.get(0).matches(Pattern.quote(image) + "  \\(\\d+\\.\\d ms\\)"), block.get(0));
      assertEquals("  rank  class  label     probability", block.get(1));
      // With top-k = all 3 classes the rows are a whole softmax: every label once, ranks in
      // order, probabilities descending and summing to 1.
      List<String> labels = new ArrayList<>();
      double sum = 0;
      double previous = 1;
      for (int rank = 1; rank <= 3; rank++) {
        Matcher row =
            Pattern.compile("\\s+(\\d)\\s+(\\d)\\s+(\\w+)\\s+(\\d\\.\\d{6})")
                .matcher(block.get(1 + rank));
        assertTrue(row.matches(), block.get(1 + rank));
        assertEquals(rank, Integer.parseInt(row.group(1)));
        assertEquals(LABELS.get(Integer.parseInt(row.group(2))), row.group(3));
        labels.add(row.group(3));
        double probability = Double.parseDouble(row.group(4));
        assertTrue(probability <= previous, block.toString());
        previous = probability;
        sum += probability;
      }
      assertEquals(3, labels.stream().distinct().count(), block.toString());
      assertEquals(1.0, sum, 2e-6);
    }
  }

  @Test
  void aCorruptImageIsReportedAndTheOthersAreStillClassified() throws IOException {
    Path corrupt =
        Files.write(dir.resolve("corrupt.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
    CliRun run =
        CliRun.of("predict", models.resolve("tiny").toString(), corrupt.toString(), images.get(0));

    assertEquals(CliErrors.FAILED, run.exitCode());
    List<String> errors = run.err().lines().toList();
    assertEquals(2, errors.size(), run.err());
    assertTrue(errors.get(0).startsWith("resnet predict: error: " + corrupt + ": "), run.err());
    assertEquals("resnet predict: 1 of 2 images could not be classified", errors.get(1));
    assertFalse(run.out().contains(corrupt.toString()), run.out());
    assertEquals(5, blockOf(run.out(), images.get(0)).size(), "header, column names, top 3");
  }

  @Test
  void imagesOverTheLimitsAreRefusedUnlessTheOptionsRaiseThem() throws IOException {
    Path strip = dir.resolve("strip.png");
    ImageIO.write(new BufferedImage(100, 2, BufferedImage.TYPE_INT_RGB), "png", strip.toFile());
    CliRun refused = CliRun.of("predict", models.resolve("tiny").toString(), strip.toString());
    assertEquals(CliErrors.FAILED, refused.exitCode());
    assertTrue(
        refused
            .err()
            .startsWith(
                "resnet predict: error: "
                    + strip
                    + ": Encoded image 0"
                    + " (PNG) is 100 x 2 pixels, an aspect ratio of 50.0:1, over the limit of 20.0:1"),
        refused.err());
    CliRun raised =
        CliRun.of(
            "predict",
            "--max-aspect-ratio",
            "50",
            "--max-megapixels",
            "1",
            models.resolve("tiny").toString(),
            strip.toString());
    assertEquals(0, raised.exitCode(), raised.err());
    assertEquals(5, blockOf(raised.out(), strip.toString()).size(), "header, column names, top 3");
  }

  @Test
  void exportingAnExistingVersionFailsUnlessOverwriting() {
    String[] export = {
      "export",
      "--depth",
      "18",
      "--classes",
      "3",
      "--min-aspect-dim",
      "40",
      "--resize-dim",
      "32",
      "--output-dir",
      models.toString(),
      "--name",
      "twice"
    };
    Path version = models.resolve("twice").resolve("1");
    assertEquals(0, CliRun.of(export).exitCode());

    CliRun refused = CliRun.of(export);
    assertEquals(CliErrors.FAILED, refused.exitCode());
    assertEquals(
        "resnet export: error: "
            + version
            + " already exists; export another version or enable overwrite\n",
        refused.err());

    List<String> overwrite = new ArrayList<>(List.of(export));
    overwrite.add("--overwrite");
    CliRun replaced = CliRun.of(overwrite.toArray(new String[0]));
    assertEquals(0, replaced.exitCode(), replaced.err());
    assertTrue(replaced.out().contains(" to " + version + " in "), replaced.out());
  }

  @Test
  void anOptimizedExportPredictsTheSameClassesAsThePlainOne() {
    CliRun export =
        CliRun.of(
            "export",
            "--depth",
            "18",
            "--classes",
            "3",
            "--min-aspect-dim",
            "40",
            "--resize-dim",
            "32",
            "--seed",
            "5",
            "--output-dir",
            models.toString(),
            "--name",
            "tiny-optimized",
            "--labels",
            dir.resolve("labels.txt").toString(),
            "--optimize");
    assertEquals(0, export.exitCode(), export.err());
    assertTrue(
        export.out().contains("weights: seed 5, batch norms folded into the convolutions"),
        export.out());

    List<String> plain =
        new ArrayList<>(List.of("predict", "--top-k", "3", models.resolve("tiny").toString()));
    plain.addAll(images);
    List<String> optimized = new ArrayList<>(plain);
    optimized.set(3, models.resolve("tiny-optimized").toString());
    String plainOut = CliRun.of(plain.toArray(new String[0])).out();
    String optimizedOut = CliRun.of(optimized.toArray(new String[0])).out();
    for (String image : images) {
      assertEquals(
          classColumns(blockOf(plainOut, image)),
          classColumns(blockOf(optimizedOut, image)),
          image);
    }
  }

  /** The rank, class and label columns of a prediction block's rows. */
  private static List<String> classColumns(List<String> block) {
    return block.subList(2, block.size()).stream()
        .map(row -> row.strip().split("\\s+"))
        .map(cells -> cells[0] + " " + cells[1] + " " + cells[2])
        .toList();
  }

  /** The lines of {@code image}'s block: from its header to the next blank line. */
  private static List<String> blockOf(String out, String image) {
    List<String> lines = out.lines().toList();
    int start = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(image + "  (")) {
        start = i;
      }
    }
    assertTrue(start >= 0, "no block for " + image + " in\n" + out);
    int end = start;
    while (end < lines.size() && !lines.get(end).isEmpty()) {
      end++;
    }
    return lines.subList(start, end);
  }
}
