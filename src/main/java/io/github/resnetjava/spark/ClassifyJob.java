package io.github.resnetjava.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * One batch-inference job: image files (a directory, searched recursively, or a glob) read with
 * Spark's {@code binaryFile} source, classified by {@link SparkClassifier}, written as Parquet, and
 * timed from the read to the end of the write.
 */
public final class ClassifyJob {
  private ClassifyJob() {}

  /**
   * What a job did.
   *
   * @param images rows written, one per file
   * @param errors rows whose {@code error} column is set (files that could not be decoded)
   * @param seconds wall time of reading, classifying and writing (not starting Spark)
   */
  public record Summary(long images, long errors, double seconds) {
    /** Images per second of wall time. */
    public double imagesPerSecond() {
      return images / seconds;
    }
  }

  /**
   * Classifies the files under {@code images} and writes one row per file to {@code output}.
   *
   * @param images a directory (every file below it) or a glob such as {@code /data/*.jpg}, in any
   *     file system Spark reads
   * @param output the Parquet directory to write
   * @param overwrite whether to replace an existing {@code output}; otherwise an existing one is an
   *     error
   * @throws io.github.resnetjava.serving.ModelLoadException if the model directory is missing,
   *     before anything runs
   */
  public static Summary run(
      SparkSession spark,
      String images,
      String modelDir,
      String output,
      int topK,
      int batchSize,
      boolean overwrite) {
    long start = System.nanoTime();
    Dataset<Row> classified =
        SparkClassifier.classify(read(spark, images), modelDir, topK, batchSize);
    classified
        .write()
        .mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
        .parquet(output);
    double seconds = (System.nanoTime() - start) / 1e9;
    Dataset<Row> written = spark.read().parquet(output);
    long errors = written.where(functions.col(ClassifiedRows.ERROR).isNotNull()).count();
    return new Summary(written.count(), errors, seconds);
  }

  /**
   * The files under {@code images} (a directory, searched recursively, or a glob) as the {@code
   * binaryFile} source's rows.
   */
  public static Dataset<Row> read(SparkSession spark, String images) {
    return spark.read().format("binaryFile").option("recursiveFileLookup", true).load(images);
  }
}
