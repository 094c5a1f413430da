package io.github.resnetjava.train;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The training loop around a {@link Trainer}, as the official TF ResNet's {@code resnet_main}
 * drives an Estimator: resume from the newest checkpoint, train to the configured step with batches
 * prefetched on another thread, evaluate the validation set every {@code evalEvery} steps and at
 * the end, checkpoint every {@code checkpointEvery} steps and at the end (keeping the last few),
 * and record progress on the terminal, in {@value #METRICS_CSV} and in {@value #METRICS_PNG} in the
 * run directory.
 */
public final class TrainingRun {
  /** The metrics file in the run directory. */
  public static final String METRICS_CSV = "metrics.csv";

  /** The learning-curve plot in the run directory, written at the end. */
  public static final String METRICS_PNG = "metrics.png";

  /** Batches prepared ahead of the training step. */
  public static final int PREFETCH_BATCHES = 4;

  /** Weight of the newest step in the throughput's moving average. */
  private static final double THROUGHPUT_SMOOTHING = 0.1;

  /**
   * How a run is kept.
   *
   * @param runDirectory checkpoints, metrics CSV and plot
   * @param checkpointEvery steps between checkpoints, {@code >= 1}
   * @param keepCheckpoints how many checkpoints to keep, {@code >= 1}
   * @param evalEvery steps between validation passes, {@code >= 1}
   * @param resume continue from the newest checkpoint in {@code runDirectory}; when false the
   *     directory must hold none
   * @param interactive draw a one-line progress bar (a terminal) rather than periodic lines
   * @param acceptChangedSettings resume even if the configuration or the class names differ from
   *     the run's {@link RunSettings} (then the run continues with the new ones)
   */
  public record Options(
      Path runDirectory,
      long checkpointEvery,
      int keepCheckpoints,
      long evalEvery,
      boolean resume,
      boolean interactive,
      boolean acceptChangedSettings) {

    /** Options that refuse to resume with changed settings. */
    public Options(
        Path runDirectory,
        long checkpointEvery,
        int keepCheckpoints,
        long evalEvery,
        boolean resume,
        boolean interactive) {
      this(runDirectory, checkpointEvery, keepCheckpoints, evalEvery, resume, interactive, false);
    }

    /**
     * @throws IllegalArgumentException for a missing directory or a non-positive interval
     */
    public Options {
      if (runDirectory == null) {
        throw new IllegalArgumentException("runDirectory must not be null");
      }
      if (checkpointEvery < 1 || keepCheckpoints < 1 || evalEvery < 1) {
        throw new IllegalArgumentException(
            "checkpointEvery, keepCheckpoints and evalEvery must be >= 1; got "
                + checkpointEvery
                + ", "
                + keepCheckpoints
                + ", "
                + evalEvery);
      }
    }
  }

  /**
   * What a run achieved.
   *
   * @param firstStep the global step training started (or resumed) at
   * @param finalStep the global step at the end
   * @param validationAccuracy inference accuracy on the validation set at the end, 0..1
   * @param lastCheckpoint the final checkpoint's prefix
   * @param trainingTime wall-clock time of this process's training loop
   */
  public record Summary(
      long firstStep,
      long finalStep,
      double validationAccuracy,
      Path lastCheckpoint,
      Duration trainingTime) {}

  private final Trainer trainer;
  private final DatasetSplit data;
  private final Options options;
  private final PrintWriter out;

  /**
   * @param trainer the model and its training state
   * @param data the training and validation images, of the trainer's image size and classes
   * @param options where and how often to checkpoint and evaluate
   * @param out where progress goes
   */
  public TrainingRun(Trainer trainer, DatasetSplit data, Options options, PrintWriter out) {
    TrainingConfig config = trainer.config();
    if (data.train().imageSize() != config.imageSize()) {
      throw new IllegalArgumentException(
          "The dataset's images are "
              + data.train().imageSize()
              + " pixels wide but the model"
              + " reads "
              + config.imageSize());
    }
    if (data.train().classNames().size() != config.numClasses()) {
      throw new IllegalArgumentException(
          "The dataset has "
              + data.train().classNames().size()
              + " classes but the model "
              + config.numClasses());
    }
    this.trainer = trainer;
    this.data = data;
    this.options = options;
    this.out = out;
  }

  /**
   * The newest checkpoint of {@code checkpoints}, refused unless {@code resume} is on: a run
   * directory that holds one belongs to a run that only a resume may continue.
   *
   * @param whatToDo the end of the message, saying how to resume or where else to write
   * @throws IllegalStateException if there is a checkpoint and {@code resume} is off, naming it
   */
  public static Optional<Path> latestCheckpoint(
      CheckpointManager checkpoints, boolean resume, String whatToDo) {
    Optional<Path> latest = checkpoints.latest();
    if (latest.isPresent() && !resume) {
      throw new IllegalStateException(
          checkpoints.directory()
              + " already holds checkpoint "
              + latest.get().getFileName()
              + ": "
              + whatToDo);
    }
    return latest;
  }

  /**
   * Trains to the configured step.
   *
   * @throws IllegalStateException if the run directory holds checkpoints and resume is off
   * @throws IllegalArgumentException if resuming with a configuration or class names other than the
   *     run's, unless the options accept changed settings; the message lists the differences
   * @throws TrainingDivergedException at the first step whose loss is not finite, or before a
   *     checkpoint of weights that are not; the checkpoints written before stay the newest
   */
  public Summary run() {
    TrainingConfig config = trainer.config();
    CheckpointManager checkpoints =
        new CheckpointManager(options.runDirectory(), options.keepCheckpoints());
    Optional<Path> latest =
        latestCheckpoint(
            checkpoints,
            options.resume(),
            "resume it (--resume) or use another checkpoint directory");
    ProgressBar progress =
        new ProgressBar(
            out,
            options.interactive(),
            config.steps(),
            config.batchSize(),
            Math.max(1, config.steps() / 20));
    startOrResume(latest, progress);
    long firstStep = trainer.globalStep();
    long started = System.nanoTime();
    Trained trained = trainSteps(firstStep, checkpoints, progress, latest.orElse(null));
    progress.finish();
    double validationAccuracy =
        Double.isNaN(trained.validationAccuracy())
            ? trainer.evaluate(data.validation(), config.batchSize())
            : trained.validationAccuracy();
    Path lastCheckpoint =
        trained.lastCheckpoint() != null
            ? trained.lastCheckpoint()
            : checkpointUntrainedWeights(checkpoints);
    Duration trainingTime = Duration.ofNanos(System.nanoTime() - started);
    plotMetrics();
    return new Summary(
        firstStep, trainer.globalStep(), validationAccuracy, lastCheckpoint, trainingTime);
  }

  /** What the step loop leaves: the newest checkpoint and the last validation accuracy (or NaN). */
  private record Trained(Path lastCheckpoint, double validationAccuracy) {}

  /**
   * Writes this run's settings into the run directory, after comparing them with the stored ones
   * and restoring {@code latest} when there is a checkpoint to resume from.
   */
  private void startOrResume(Optional<Path> latest, ProgressBar progress) {
    RunSettings settings = RunSettings.of(trainer.config(), data.train().classNames());
    if (latest.isPresent()) {
      requireSameSettings(settings, progress);
    }
    settings.write(options.runDirectory());
    if (latest.isPresent()) {
      trainer.restore(latest.get());
      progress.message("Resumed from " + latest.get() + " at step " + trainer.globalStep());
    } else if (options.resume()) {
      progress.message("No checkpoint in " + options.runDirectory() + "; starting at step 0");
    }
  }

  /**
   * Trains from {@code firstStep} to the configured step, appending a metrics row per step,
   * evaluating every {@code evalEvery} steps and checkpointing every {@code checkpointEvery}.
   */
  private Trained trainSteps(
      long firstStep, CheckpointManager checkpoints, ProgressBar progress, Path lastCheckpoint) {
    TrainingConfig config = trainer.config();
    double validationAccuracy = Double.NaN;
    BatchSource batches =
        new BatchSource(
            data.train(),
            config.batchSize(),
            config.seed(),
            Augmenter.forImageSize(config.imageSize()));
    try (MetricsCsv csv =
            MetricsCsv.resume(options.runDirectory().resolve(METRICS_CSV), firstStep);
        BatchPrefetcher prefetcher =
            new BatchPrefetcher(batches::batch, firstStep, config.steps(), PREFETCH_BATCHES)) {
      double imagesPerSecond = 0;
      long stepStart = System.nanoTime();
      for (long step = firstStep; step < config.steps(); step++) {
        Trainer.StepResult result = trainer.step(prefetcher.next());
        if (!Float.isFinite(result.loss())) {
          throw new TrainingDivergedException(
              step, result.learningRate(), "the loss is " + result.loss(), lastCheckpoint);
        }
        imagesPerSecond = smoothedRate(imagesPerSecond, stepStart, config.batchSize());
        long completed = step + 1;
        progress.update(completed, result.loss(), result.accuracy(), imagesPerSecond);
        OptionalDouble validation = OptionalDouble.empty();
        if (completed % options.evalEvery() == 0 || completed == config.steps()) {
          validationAccuracy = trainer.evaluate(data.validation(), config.batchSize());
          validation = OptionalDouble.of(validationAccuracy);
          progress.message(
              String.format(
                  Locale.ROOT,
                  "step %d: validation accuracy %.4f (%d images)",
                  completed,
                  validationAccuracy,
                  data.validation().size()));
        }
        csv.append(
            new MetricsCsv.Row(
                completed,
                result.learningRate(),
                result.loss(),
                result.crossEntropy(),
                result.accuracy(),
                validation,
                imagesPerSecond));
        if (completed % options.checkpointEvery() == 0 || completed == config.steps()) {
          requireFiniteVariables(result, lastCheckpoint);
          lastCheckpoint = checkpoints.save(completed, trainer::save);
        }
        // Evaluation and checkpointing are not training throughput.
        stepStart = System.nanoTime();
      }
    }
    return new Trained(lastCheckpoint, validationAccuracy);
  }

  /**
   * The images-per-second estimate after a step of {@code batchSize} images that started at {@code
   * stepStart}: the step's own rate at first, then an exponential moving average.
   */
  private static double smoothedRate(double previous, long stepStart, int batchSize) {
    double rate = batchSize / ((System.nanoTime() - stepStart) / 1e9);
    return previous == 0
        ? rate
        : (1 - THROUGHPUT_SMOOTHING) * previous + THROUGHPUT_SMOOTHING * rate;
  }

  /**
   * Checkpoints the weights of a run that took no step and has no checkpoint yet (its global step
   * was already at the configured steps), refusing weights that are not finite.
   */
  private Path checkpointUntrainedWeights(CheckpointManager checkpoints) {
    if (!trainer.variablesFinite()) {
      throw new TrainingDivergedException(
          trainer.globalStep(),
          trainer.learningRate(),
          "the restored weights are not finite",
          null);
    }
    return checkpoints.save(trainer.globalStep(), trainer::save);
  }

  /** Draws the metrics CSV, when there is one, as {@value #METRICS_PNG}. */
  private void plotMetrics() {
    Path csvFile = options.runDirectory().resolve(METRICS_CSV);
    if (Files.isRegularFile(csvFile)) {
      TrainingConfig config = trainer.config();
      MetricsPlot.write(
          MetricsCsv.read(csvFile),
          "ResNet-" + config.depth() + " v2, " + config.schedule(),
          options.runDirectory().resolve(METRICS_PNG));
    }
  }

  /**
   * Refuses to checkpoint weights that a finite loss did not reveal as diverged yet: the loss of a
   * step is computed before its update, so the update itself may have made them NaN.
   */
  private void requireFiniteVariables(Trainer.StepResult result, Path lastCheckpoint) {
    if (!trainer.variablesFinite()) {
      throw new TrainingDivergedException(
          result.step(),
          result.learningRate(),
          "its update left NaN or infinite weights",
          lastCheckpoint);
    }
  }

  /** Compares the run's stored settings with this run's before resuming. */
  private void requireSameSettings(RunSettings current, ProgressBar progress) {
    Optional<RunSettings> stored = RunSettings.read(options.runDirectory());
    if (stored.isEmpty()) {
      progress.message(
          "The run directory has no "
              + RunSettings.FILE
              + " (an older run): resuming without"
              + " comparing settings");
      return;
    }
    List<String> differences = stored.get().differencesFrom(current);
    if (differences.isEmpty()) {
      return;
    }
    if (!options.acceptChangedSettings()) {
      throw new IllegalArgumentException(
          "Cannot resume "
              + options.runDirectory()
              + " with other settings than its"
              + " checkpoints': "
              + String.join("; ", differences)
              + ". Use the run's settings,"
              + " start a new run in another directory, or accept the change explicitly"
              + " (--allow-changed-settings)");
    }
    progress.message("Resuming with changed settings: " + String.join("; ", differences));
  }
}
