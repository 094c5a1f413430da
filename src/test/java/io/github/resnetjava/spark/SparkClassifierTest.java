package io.github.resnetjava.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resnetjava.export.SavedModelExporter;
import io.github.resnetjava.model.DataFormat;
import io.github.resnetjava.serving.Classifier;
import io.github.resnetjava.serving.InvalidInputException;
import io.github.resnetjava.serving.ModelLoadException;
import io.github.resnetjava.serving.Prediction;
import io.github.resnetjava.testing.ServingFixture;
import io.github.resnetjava.testing.TestImages;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SparkClassifier} on a local[2] Spark: its answers against {@link
 * Classifier#classifyEncoded(byte[], int)} called image by image, error rows for files TensorFlow
 * cannot decode, one model load per JVM, and a missing model failing on the driver.
 */
class SparkClassifierTest {
  private static final int IMAGES = 200;
  private static final int TOP_K = 3;
  private static final int BATCH = 8;
  private static final List<String> LABELS =
      List.of("cat", "dog", "fish", "bird", "horse", "ship", "truck");

  /** Files that are no image: contents TensorFlow's decoders reject. */
  private static final List<String> CORRUPT = List.of("corrupt-text.jpg", "corrupt-truncated.png");

  @TempDir static Path work;

  private static Path modelDir;
  private static Path imageDir;
  private static Path emptyFile;

  /** Each decodable image's file name and its answer from the Classifier, one image per call. */
  private static final Map<String, List<Prediction>> SERIAL = new LinkedHashMap<>();

  /** Each corrupt file's name and the Classifier's message refusing it alone. */
  private static final Map<String, String> REFUSALS = new HashMap<>();

  private static SparkSession spark;

  @BeforeAll
  static void exportModelAndWriteImages() throws IOException {
    try (ServingFixture fixture = ServingFixture.create(DataFormat.CHANNELS_LAST)) {
      fixture.setLogitsBias(new float[] {0.5f, -1f, 2f, 0f, 1.5f, -0.25f, 3f});
      fixture.randomizeBatchNorms();
      SavedModelExporter exporter =
          SavedModelExporter.into(Files.createDirectories(work.resolve("models")), "resnet");
      exporter.withLabels(LABELS).export(fixture.session, fixture.serving, 1);
      modelDir = exporter.modelDir();
    }
    imageDir = Files.createDirectories(work.resolve("images"));
    try (Classifier classifier = Classifier.load(modelDir)) {
      for (int i = 0; i < IMAGES; i++) {
        String format = i % 3 == 0 ? "jpg" : "png";
        BufferedImage image =
            TestImages.pattern(24 + i % 29, 20 + (i * 7) % 37, BufferedImage.TYPE_INT_RGB, i);
        byte[] file = TestImages.encode(image, format);
        String name = String.format("image-%03d.%s", i, format);
        Files.write(imageDir.resolve(name), file);
        SERIAL.put(name, classifier.classifyEncoded(file, TOP_K));
      }
    }
    byte[] png = TestImages.encode(TestImages.solid(30, 30, 0x336699), "png");
    Files.writeString(imageDir.resolve(CORRUPT.get(0)), "this is not a JPEG");
    // The PNG header and size survive; the pixels do not.
    Files.write(imageDir.resolve(CORRUPT.get(1)), Arrays.copyOf(png, 40));
    try (Classifier classifier = Classifier.load(modelDir)) {
      for (String name : CORRUPT) {
        byte[] file = Files.readAllBytes(imageDir.resolve(name));
        REFUSALS.put(
            name,
            assertThrows(InvalidInputException.class, () -> classifier.classifyEncoded(file, TOP_K))
                .getMessage());
      }
    }
    // Beside the images: the binaryFile source skips empty files, a path column does not.
    emptyFile = Files.write(work.resolve("empty.png"), new byte[0]);

    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("SparkClassifierTest")
            .config("spark.ui.enabled", false)
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) {
      spark.stop();
    }
  }

  private static Dataset<Row> binaryFiles() {
    return spark.read().format("binaryFile").load(imageDir.toString());
  }

  /** The rows of {@code classified} by file name. */
  private static Map<String, Row> byFileName(Dataset<Row> classified) {
    Map<String, Row> rows = new HashMap<>();
    for (Row row : classified.collectAsList()) {
      String path = row.getString(row.fieldIndex(ImageColumn.PATH));
      rows.put(path.substring(path.lastIndexOf('/') + 1), row);
    }
    return rows;
  }

  private static void assertClassifiedLikeTheClassifier(String name, Row row) {
    List<Prediction> expected = SERIAL.get(name);
    assertNull(row.get(row.fieldIndex(ClassifiedRows.ERROR)), name);
    assertEquals(
        expected.get(0).classIndex(), row.getInt(row.fieldIndex(ClassifiedRows.CLASS_INDEX)), name);
    assertEquals(
        expected.get(0).label(), row.getString(row.fieldIndex(ClassifiedRows.LABEL)), name);
    assertEquals(
        expected.get(0).probability(),
        row.getFloat(row.fieldIndex(ClassifiedRows.PROBABILITY)),
        1e-5f,
        name);
    List<Row> topK = row.getList(row.fieldIndex(ClassifiedRows.TOP_K));
    assertEquals(expected.size(), topK.size(), name);
    for (int k = 0; k < expected.size(); k++) {
      Prediction p = expected.get(k);
      Row actual = topK.get(k);
      assertEquals(p.classIndex(), actual.getInt(0), name + " rank " + k);
      assertEquals(p.label(), actual.getString(1), name + " rank " + k);
      // Batches of 8 against batches of 1: oneDNN may sum in another order, hence not exact.
      assertEquals(p.probability(), actual.getFloat(2), 1e-5f, name + " rank " + k);
    }
  }

  @Test
  void everyImageGetsTheClassifiersAnswerAndCorruptFilesGetErrorRows() {
    Dataset<Row> classified =
        SparkClassifier.classify(binaryFiles(), modelDir.toString(), TOP_K, BATCH);

    assertEquals(
        List.of(
            "path",
            "modificationTime",
            "length",
            "class_index",
            "label",
            "probability",
            "top_k",
            "error"),
        Arrays.asList(classified.schema().fieldNames()));
    Map<String, Row> rows = byFileName(classified);
    assertEquals(IMAGES + CORRUPT.size(), rows.size());
    for (String name : SERIAL.keySet()) {
      assertClassifiedLikeTheClassifier(name, rows.get(name));
    }
    for (String name : CORRUPT) {
      Row row = rows.get(name);
      assertEquals(REFUSALS.get(name), row.getString(row.fieldIndex(ClassifiedRows.ERROR)), name);
      assertTrue(row.isNullAt(row.fieldIndex(ClassifiedRows.CLASS_INDEX)), name);
      assertTrue(row.isNullAt(row.fieldIndex(ClassifiedRows.TOP_K)), name);
    }
  }

  @Test
  void theModelIsLoadedOncePerJvmAcrossPartitionsTasksAndJobs() {
    Dataset<Row> images = binaryFiles();
    assertTrue(
        images.rdd().getNumPartitions() > 2, "partitions: " + images.rdd().getNumPartitions());

    long first = SparkClassifier.classify(images, modelDir.toString(), 1, BATCH).count();
    long second = SparkClassifier.classify(images, modelDir.toString(), 1, BATCH).count();

    assertEquals(IMAGES + CORRUPT.size(), first);
    assertEquals(first, second);
    // local[2]: the driver is the only executor JVM, and both task threads share its model.
    assertEquals(1, ExecutorClassifiers.loads(modelDir.resolve("1").toAbsolutePath().toString()));
  }

  @Test
  void aPathColumnIsReadOnTheExecutorsAndMissingOrEmptyFilesAreErrorRows() {
    List<String> paths = new ArrayList<>();
    List<String> names = new ArrayList<>(SERIAL.keySet()).subList(0, 10);
    for (String name : names) {
      paths.add(imageDir.resolve(name).toString());
    }
    paths.add(imageDir.resolve("missing.png").toString());
    paths.add(emptyFile.toString());
    Dataset<Row> images = spark.createDataset(paths, Encoders.STRING()).toDF(ImageColumn.PATH);

    Map<String, Row> rows =
        byFileName(SparkClassifier.classify(images, modelDir.toString(), TOP_K, BATCH));

    assertEquals(12, rows.size());
    for (String name : names) {
      assertClassifiedLikeTheClassifier(name, rows.get(name));
    }
    Row missing = rows.get("missing.png");
    assertTrue(
        missing.getString(missing.fieldIndex(ClassifiedRows.ERROR)).startsWith("cannot read"));
    Row empty = rows.get("empty.png");
    assertEquals("empty file", empty.getString(empty.fieldIndex(ClassifiedRows.ERROR)));
  }

  @Test
  void aMissingModelDirectoryFailsOnTheDriverBeforeAnyTaskRuns() {
    Path missing = work.resolve("no-such-model");
    spark.sparkContext().setJobGroup("missing-model", "missing model", false);
    try {
      ModelLoadException e =
          assertThrows(
              ModelLoadException.class,
              () -> SparkClassifier.classify(binaryFiles(), missing.toString(), TOP_K));
      assertEquals("Model directory " + missing + " does not exist", e.getMessage());
      assertEquals(
          0, spark.sparkContext().statusTracker().getJobIdsForGroup("missing-model").length);
    } finally {
      spark.sparkContext().clearJobGroup();
    }
  }

  @Test
  void imagesWithoutAnImageColumnAreRejectedNamingTheColumnsNeeded() {
    Dataset<Row> noImages = spark.createDataset(List.of("a"), Encoders.STRING()).toDF("file");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SparkClassifier.classify(noImages, modelDir.toString(), TOP_K));
    assertTrue(e.getMessage().contains("binary 'content' column"), e.getMessage());
    assertTrue(e.getMessage().contains("[file]"), e.getMessage());
  }
}
