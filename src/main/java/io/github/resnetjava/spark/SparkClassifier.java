package io.github.resnetjava.spark;

import io.github.resnetjava.serving.Classifier;
import io.github.resnetjava.serving.ModelDirectory;
import io.github.resnetjava.serving.ModelLoadException;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * Batch inference on Apache Spark: classifies a {@code Dataset} of encoded images (JPEG, PNG, GIF,
 * BMP) with a SavedModel exported by this project, through its {@code image_bytes} signature, as
 * {@link Classifier#classifyEncoded(java.util.List, int)} does in one JVM.
 *
 * <p>It runs as one {@code mapPartitions} over the images, with no shuffle. Each executor JVM loads
 * the model once, on its first task, and shares it between its task threads and later tasks (DJL's
 * Spark transformer and the usual {@code mapPartitions} recipe load it once per partition instead);
 * each task feeds its partition's images in batches of {@code batchSize}.
 *
 * <p>The model directory must be readable at the same path on the driver and on every executor: a
 * shared file system, or the same copy on every node. The driver resolves it (the highest numeric
 * version of a TF Serving {@code <models>/<name>} directory) before any task runs, so a missing
 * model fails at once and every executor loads the same version.
 *
 * <p>The result is lazy, like any Dataset transformation: nothing runs until an action (a write, a
 * count).
 */
public final class SparkClassifier {
  /** The images per {@code image_bytes} call when none is given. */
  public static final int DEFAULT_BATCH_SIZE = 16;

  private SparkClassifier() {}

  /**
   * As {@link #classify(Dataset, String, int, int)} with {@value #DEFAULT_BATCH_SIZE} images a
   * batch.
   */
  public static Dataset<Row> classify(Dataset<Row> images, String modelDir, int topK) {
    return classify(images, modelDir, topK, DEFAULT_BATCH_SIZE);
  }

  /**
   * Classifies every row of {@code images}.
   *
   * @param images rows with a binary {@code content} column (the whole image file), as {@code
   *     spark.read().format("binaryFile").load(dir)} gives with its {@code path}, {@code
   *     modificationTime} and {@code length}; or, without {@code content}, a string {@code path}
   *     column of image files, read on the executors through Hadoop's file systems
   * @param modelDir a SavedModel directory, or a TF Serving {@code <models>/<name>} directory whose
   *     highest version is used; the same path must be readable on every executor
   * @param topK classes per image in {@code top_k}, {@code >= 1} (all classes when above their
   *     count)
   * @param batchSize images per TensorFlow call, {@code >= 1}
   * @return one row per input row, in partition order: the input's columns except {@code content},
   *     then {@code class_index} (int), {@code label} (string) and {@code probability} (float) of
   *     the top class, {@code top_k} (array of structs of those three fields, best first) and
   *     {@code error} (string: null, or why the image could not be read or decoded, with the
   *     prediction columns null)
   * @throws ModelLoadException on the driver, before any task runs, if {@code modelDir} does not
   *     exist or holds no SavedModel
   * @throws IllegalArgumentException if {@code images} lacks an image column, already has an output
   *     column, or {@code topK} or {@code batchSize} is below 1
   */
  public static Dataset<Row> classify(
      Dataset<Row> images, String modelDir, int topK, int batchSize) {
    if (images == null) {
      throw new IllegalArgumentException("images must not be null");
    }
    if (modelDir == null || modelDir.isBlank()) {
      throw new IllegalArgumentException("modelDir must name a model directory");
    }
    if (topK < 1) {
      throw new IllegalArgumentException("topK must be >= 1; got " + topK);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1; got " + batchSize);
    }
    Path savedModelDir = ModelDirectory.resolveSavedModel(Path.of(modelDir)).toAbsolutePath();
    ImageColumn source =
        ImageColumn.of(images.schema(), images.sparkSession().sparkContext().hadoopConfiguration());
    ClassifiedRows output =
        ClassifiedRows.forInput(images.schema(), source.isContent() ? ImageColumn.CONTENT : null);
    return images.mapPartitions(
        new ClassifyPartition(savedModelDir.toString(), source, output, topK, batchSize),
        Encoders.row(output.schema()));
  }
}
