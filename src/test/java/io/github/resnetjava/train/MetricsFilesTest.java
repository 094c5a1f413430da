package io.github.resnetjava.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metrics CSV round-trips and survives a resume; the plot draws both accuracy curves. */
class MetricsFilesTest {
  @TempDir Path dir;

  private static MetricsCsv.Row row(long step, Double validation) {
    // Values with at most six decimals, which the file keeps exactly.
    return new MetricsCsv.Row(
        step,
        0.1,
        0.5 * step,
        0.25 * step,
        step / 8.0,
        validation == null ? OptionalDouble.empty() : OptionalDouble.of(validation),
        250.5);
  }

  @Test
  void rowsAreWrittenWithTheHeaderAndReadBack() throws IOException {
    Path file = dir.resolve("metrics.csv");
    try (MetricsCsv csv = MetricsCsv.create(file)) {
      csv.append(row(1, null));
      csv.append(row(2, 0.75));
    }
    assertEquals(
        List.of(
            "step,learning_rate,loss,cross_entropy,train_accuracy,validation_accuracy,"
                + "images_per_second",
            "1,0.100000,0.500000,0.250000,0.125000,,250.5",
            "2,0.100000,1.000000,0.500000,0.250000,0.750000,250.5"),
        Files.readAllLines(file, StandardCharsets.UTF_8));
    assertEquals(List.of(row(1, null), row(2, 0.75)), MetricsCsv.read(file));
  }

  @Test
  void aResumeKeepsTheRowsUpToTheCheckpointAndDropsTheRest() {
    Path file = dir.resolve("metrics.csv");
    try (MetricsCsv csv = MetricsCsv.create(file)) {
      for (int step = 1; step <= 5; step++) {
        csv.append(row(step, null));
      }
    }
    try (MetricsCsv csv = MetricsCsv.resume(file, 3)) {
      csv.append(row(4, 0.9));
    }
    assertEquals(
        List.of(row(1, null), row(2, null), row(3, null), row(4, 0.9)), MetricsCsv.read(file));
  }

  @Test
  void thePlotIsAPngWithTrainingAndValidationCurves() throws IOException {
    List<MetricsCsv.Row> rows = new ArrayList<>();
    for (int step = 1; step <= 100; step++) {
      rows.add(
          new MetricsCsv.Row(
              step,
              0.1,
              3.0 / step,
              2.5 / step,
              step / 120.0,
              step % 25 == 0 ? OptionalDouble.of(0.2 + step / 200.0) : OptionalDouble.empty(),
              100));
    }
    Path png = dir.resolve("metrics.png");
    MetricsPlot.write(rows, "test run", png);
    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(900, image.getWidth());
    assertTrue(countColour(image, 0xd62728) > 20, "validation accuracy is drawn in red");
    assertTrue(countColour(image, 0x1f77b4) > 200, "training curves are drawn in blue");
    assertEquals(5.0, MetricsPlot.niceCeiling(2.7));
    assertEquals(0.5, MetricsPlot.niceCeiling(0.45));
  }

  private static int countColour(BufferedImage image, int rgb) {
    int count = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if ((image.getRGB(x, y) & 0xffffff) == rgb) {
          count++;
        }
      }
    }
    return count;
  }
}
