import io.github.resnetjava.serving.Classifier;
import io.github.resnetjava.serving.Prediction;
import io.github.resnetjava.train.MetricsCsv;
import io.github.resnetjava.train.SyntheticShapesDataset;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The second half of scripts/train-demo.sh, run in a fresh JVM (Java's single-file launcher, with
 * the CLI jar on the class path): loads the exported SavedModel with the serving API, classifies
 * the synthetic validation split again through both signatures, and compares the accuracy with
 * the one the training run recorded in its metrics.csv.
 *
 * <p>Arguments: SAVED_MODEL_DIR METRICS_CSV CLASSES IMAGE_SIZE VALIDATION_SIZE SEED. Exits with 1
 * if the accuracies differ by more than 0.5 points or the model is below 90%.
 */
public class TrainDemoCheck {
  private static final int BATCH = 100;
  private static final double ALLOWED_POINTS = 0.5;
  private static final double REQUIRED_ACCURACY = 0.90;

  public static void main(String[] args) throws IOException {
    Path modelDir = Path.of(args[0]);
    List<MetricsCsv.Row> rows = MetricsCsv.read(Path.of(args[1]));
    int classes = Integer.parseInt(args[2]);
    int imageSize = Integer.parseInt(args[3]);
    int validationSize = Integer.parseInt(args[4]);
    long seed = Long.parseLong(args[5]);
    MetricsCsv.Row last = rows.get(rows.size() - 1);
    double trained = last.validationAccuracy().orElseThrow();

    SyntheticShapesDataset validation =
        new SyntheticShapesDataset(
            classes, imageSize, validationSize, SyntheticShapesDataset.Split.VALIDATION, seed);
    int floatsPerImage = imageSize * imageSize * 3;
    int correctFloat = 0;
    int correctBytes = 0;
    try (Classifier classifier = Classifier.load(modelDir)) {
      for (int start = 0; start < validation.size(); start += BATCH) {
        int count = Math.min(BATCH, validation.size() - start);
        int[] indices = new int[count];
        List<byte[]> pngs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          indices[i] = start + i;
          pngs.add(png(validation, start + i));
        }
        float[] images = new float[count * floatsPerImage];
        validation.readImages(indices, images);
        List<List<Prediction>> fromFloats = classifier.classify(images, count, 1);
        List<List<Prediction>> fromBytes = classifier.classifyEncoded(pngs, 1);
        for (int i = 0; i < count; i++) {
          int label = validation.label(start + i);
          correctFloat += fromFloats.get(i).get(0).classIndex() == label ? 1 : 0;
          correctBytes += fromBytes.get(i).get(0).classIndex() == label ? 1 : 0;
        }
      }
      System.out.printf(Locale.ROOT, "Loaded %s (labels: %s)%n", classifier.savedModelDir(),
          String.join(", ", classifier.labels()));
    }
    double servedFloat = (double) correctFloat / validation.size();
    double servedBytes = (double) correctBytes / validation.size();
    double worst = Math.max(Math.abs(servedFloat - trained), Math.abs(servedBytes - trained));
    System.out.printf(Locale.ROOT,
        "Validation accuracy at the end of training (step %d):      %.4f%n", last.step(), trained);
    System.out.printf(Locale.ROOT,
        "SavedModel in a fresh JVM, serving_default (float input):  %.4f%n", servedFloat);
    System.out.printf(Locale.ROOT,
        "SavedModel in a fresh JVM, image_bytes (PNG files):        %.4f%n", servedBytes);
    System.out.printf(Locale.ROOT,
        "Largest difference: %.2f points (allowed %.1f); %d validation images%n",
        100 * worst, ALLOWED_POINTS, validation.size());
    if (100 * worst > ALLOWED_POINTS || Math.min(servedFloat, servedBytes) < REQUIRED_ACCURACY) {
      System.out.println("FAILED");
      System.exit(1);
    }
  }

  private static byte[] png(SyntheticShapesDataset dataset, int index) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(dataset.image(index), "png", out);
    return out.toByteArray();
  }
}
