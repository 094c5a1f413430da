import io.github.resnetjava.train.MetricsCsv;
import io.github.resnetjava.train.SyntheticShapesDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import javax.imageio.ImageIO;

/**
 * The helper of scripts/fine-tune-demo.sh, run with Java's single-file launcher and the CLI jar on
 * the class path.
 *
 * <ul>
 *   <li>{@code images DIR IMAGE_SIZE TRAIN_PER_CLASS VALIDATION_PER_CLASS SEED}: writes the four
 *       fine-tuning classes as an image folder, {@code DIR/train/<class>/*.png} and {@code
 *       DIR/validation/<class>/*.png}: red and green stars and rings, drawn by the synthetic
 *       shapes of 16 classes (8 shapes in red, then in green). Stars and rings are not among the
 *       six shapes the model is pretrained on.
 *   <li>{@code steps METRICS_CSV TARGET}: prints the first step whose validation accuracy reached
 *       TARGET (or "not reached") and the last validation accuracy.
 * </ul>
 */
public class FineTuneDemo {
  /** Labels in the 16-class synthetic set: red star, red ring, green star, green ring. */
  private static final int[] LABELS = {6, 7, 14, 15};
  private static final int SOURCE_CLASSES = 16;

  public static void main(String[] args) throws IOException {
    switch (args[0]) {
      case "images" -> writeImages(Path.of(args[1]), Integer.parseInt(args[2]),
          Integer.parseInt(args[3]), Integer.parseInt(args[4]), Long.parseLong(args[5]));
      case "steps" -> printSteps(Path.of(args[1]), Double.parseDouble(args[2]));
      default -> throw new IllegalArgumentException("images or steps; got " + args[0]);
    }
  }

  private static void writeImages(
      Path dir, int imageSize, int trainPerClass, int validationPerClass, long seed)
      throws IOException {
    write(dir.resolve("train"), imageSize, trainPerClass, SyntheticShapesDataset.Split.TRAIN, seed);
    write(dir.resolve("validation"), imageSize, validationPerClass,
        SyntheticShapesDataset.Split.VALIDATION, seed);
  }

  /** Image {@code i} of the 16-class set has label {@code i % 16}: take the wanted labels' images. */
  private static void write(
      Path dir, int imageSize, int perClass, SyntheticShapesDataset.Split split, long seed)
      throws IOException {
    SyntheticShapesDataset all =
        new SyntheticShapesDataset(SOURCE_CLASSES, imageSize, SOURCE_CLASSES * perClass, split,
            seed);
    for (int label : LABELS) {
      Path classDir = Files.createDirectories(dir.resolve(all.classNames().get(label)));
      for (int k = 0; k < perClass; k++) {
        int index = k * SOURCE_CLASSES + label;
        ImageIO.write(all.image(index), "png",
            classDir.resolve(String.format(Locale.ROOT, "%05d.png", k)).toFile());
      }
    }
  }

  private static void printSteps(Path metricsCsv, double target) {
    List<MetricsCsv.Row> rows = MetricsCsv.read(metricsCsv);
    OptionalLong reached =
        rows.stream()
            .filter(row -> row.validationAccuracy().orElse(0) >= target)
            .mapToLong(MetricsCsv.Row::step)
            .findFirst();
    double last =
        rows.stream()
            .filter(row -> row.validationAccuracy().isPresent())
            .reduce((a, b) -> b)
            .orElseThrow()
            .validationAccuracy()
            .getAsDouble();
    System.out.printf(Locale.ROOT, "%s\t%.4f%n",
        reached.isPresent() ? Long.toString(reached.getAsLong()) : "not-reached", last);
  }
}
