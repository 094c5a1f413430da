package io.github.resnetjava.cli;

import io.github.resnetjava.runtime.OneDnnPolicy;
import io.github.resnetjava.runtime.TensorFlowStartup;
import io.github.resnetjava.serving.ModelDirectory;
import io.github.resnetjava.spark.ClassifyJob;
import io.github.resnetjava.spark.SparkClassifier;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spark-classify} ({@code scripts/spark-classify.sh}, or {@code spark-submit --class} this
 * class on a cluster): classifies a directory or glob of image files on Spark with {@link
 * ClassifyJob} and writes a Parquet table, one row per file, undecodable files as rows with an
 * {@code error}.
 *
 * <p>A command of its own, not a {@code resnet} subcommand: it needs Spark on the class path, which
 * the {@code resnet} jar leaves out (a cluster brings its own).
 */
@Command(
    name = "spark-classify",
    description =
        "Classify image files on Apache Spark (locally by default) and write a Parquet"
            + " table: path, class_index, label, probability, top_k, error.",
    footer = {
      "",
      "Exit codes: 0 success, "
          + CliErrors.FAILED
          + " the job failed, "
          + CliErrors.BAD_ARGUMENTS
          + " bad arguments."
    })
public final class SparkClassifyCommand implements Callable<Integer> {
  /** The master when neither {@code --master} nor spark-submit names one. */
  static final String LOCAL_MASTER = "local[*]";

  @Spec CommandSpec spec;

  @Mixin HelpOption help;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "MODEL_DIR",
      description =
          "A SavedModel directory, or <models>/<name> to use its highest version; the"
              + " same path must be readable on every executor.")
  Path modelDir;

  @Option(
      names = "--images",
      required = true,
      paramLabel = "DIR_OR_GLOB",
      description =
          "A directory (every file below it) or a glob such as '/data/*.jpg', in any"
              + " file system Spark reads.")
  String images;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "OUT",
      description = "The Parquet directory to write.")
  String output;

  @Option(
      names = "--master",
      paramLabel = "URL",
      description =
          "Spark master: local[*] (the default, unless spark-submit sets one), local[N],"
              + " spark://host:7077, yarn, ...")
  String master;

  @Option(
      names = "--batch",
      paramLabel = "N",
      defaultValue = "" + SparkClassifier.DEFAULT_BATCH_SIZE,
      converter = OptionConverters.PositiveInt.class,
      description = "Images per TensorFlow call (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--top-k",
      paramLabel = "K",
      defaultValue = "5",
      converter = OptionConverters.PositiveInt.class,
      description = "Classes per image in top_k (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(names = "--overwrite", description = "Replace OUT if it exists.")
  boolean overwrite;

  /** Entry point of {@code scripts/spark-classify.sh} and of {@code spark-submit --class}. */
  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(commandLine().execute(args));
  }

  /** The command line with this project's error handling ({@link CliErrors}). */
  static CommandLine commandLine() {
    CliErrors errors = new CliErrors();
    return new CommandLine(new SparkClassifyCommand())
        .setParameterExceptionHandler(errors)
        .setExecutionExceptionHandler(errors);
  }

  @Override
  public Integer call() {
    // Before anything loads TensorFlow, which reads its oneDNN switch once.
    TensorFlowStartup.prepareFor(OneDnnPolicy.Workload.INFERENCE);
    // Before Spark starts (seconds): a missing model is the commonest mistake.
    ModelDirectory.resolveSavedModel(modelDir);
    PrintWriter out = spec.commandLine().getOut();
    SparkSession.Builder builder =
        SparkSession.builder()
            .appName("resnet spark-classify")
            .config("spark.ui.showConsoleProgress", true);
    if (master != null) {
      builder.master(master);
    } else if (System.getProperty("spark.master") == null) {
      builder.master(LOCAL_MASTER);
    }
    SparkSession spark = builder.getOrCreate();
    try {
      ClassifyJob.Summary summary =
          ClassifyJob.run(spark, images, modelDir.toString(), output, topK, batch, overwrite);
      if (summary.errors() > 0) {
        out.printf(
            Locale.ROOT,
            "%d files could not be read or decoded: see their error column%n",
            summary.errors());
      }
      out.printf(
          Locale.ROOT,
          "%d images classified in %.1f s (%.1f images/s), output %s%n",
          summary.images(),
          summary.seconds(),
          summary.imagesPerSecond(),
          output);
      out.flush();
      return 0;
    } finally {
      spark.stop();
    }
  }
}
