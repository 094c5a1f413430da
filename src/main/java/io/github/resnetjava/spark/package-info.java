/**
 * Batch inference on Apache Spark 3.5: {@link io.github.resnetjava.spark.SparkClassifier}
 * classifies a {@code Dataset} of image files (Spark's {@code binaryFile} rows, or a {@code path}
 * column) with one {@code mapPartitions}, feeding each partition to the SavedModel's {@code
 * image_bytes} signature in batches, as {@link
 * io.github.resnetjava.serving.Classifier#classifyEncoded(java.util.List, int)} does in one JVM.
 * The model is loaded once per executor JVM ({@code ExecutorClassifiers}), and a file that cannot
 * be decoded becomes a row with an {@code error}, never a failed task. {@link
 * io.github.resnetjava.spark.ClassifyJob} is the files-to-Parquet job behind {@code
 * scripts/spark-classify.sh}.
 *
 * <h2>What it may use</h2>
 *
 * <p>{@code serving} only (a SavedModel, never the model builder), and Spark, which is a {@code
 * provided} dependency: a cluster brings its own, and nothing outside this package and {@code
 * cli.SparkClassifyCommand} touches it, so the rest of the library runs without Spark.
 */
package io.github.resnetjava.spark;
