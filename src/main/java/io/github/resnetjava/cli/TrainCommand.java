package io.github.resnetjava.cli;

import io.github.resnetjava.export.SavedModelExporter;
import io.github.resnetjava.preprocessing.ImagePreprocessing;
import io.github.resnetjava.runtime.OneDnnPolicy;
import io.github.resnetjava.runtime.TensorFlowStartup;
import io.github.resnetjava.train.CheckpointManager;
import io.github.resnetjava.train.DatasetSplit;
import io.github.resnetjava.train.FineTuning;
import io.github.resnetjava.train.ImageFolderDataset;
import io.github.resnetjava.train.LearningRateSchedule;
import io.github.resnetjava.train.ProgressBar;
import io.github.resnetjava.train.RunSettings;
import io.github.resnetjava.train.SyntheticShapesDataset;
import io.github.resnetjava.train.Trainer;
import io.github.resnetjava.train.TrainingConfig;
import io.github.resnetjava.train.TrainingRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code resnet train}: trains a ResNet v2 on an image folder or the built-in synthetic shapes with
 * the official TF ResNet's recipe (momentum SGD, weight decay, warm-up then cosine or step decay),
 * checkpointing as it goes, then exports the trained weights as a SavedModel with the class names
 * as {@code labels.txt}. See {@link TrainingRun} for the loop and {@link Trainer} for the graph.
 */
@Command(
    name = "train",
    description =
        "Train a ResNet v2 on an image folder (one sub-folder per class) or on the"
            + " built-in synthetic shapes, with checkpoints, metrics and a learning-curve plot, then"
            + " export it as a SavedModel (TF Serving layout: <output-dir>/<name>/<version>).")
final class TrainCommand implements Callable<Integer> {
  /** The {@code DATA} value that selects {@link SyntheticShapesDataset}. */
  static final String SYNTHETIC = "synthetic";

  @Spec CommandSpec spec;

  @Mixin HelpOption help;

  @Parameters(
      index = "0",
      paramLabel = "DATA",
      description =
          "An image folder with one sub-folder per class (or train/ and validation/"
              + " sub-folders holding those), or '"
              + SYNTHETIC
              + "' for the built-in shapes.")
  String data;

  @Mixin ArchitectureOptions architecture = new ArchitectureOptions(18, 32);

  /** {@code --image-size}, the old name of {@code --resize-dim}, still accepted. */
  @Option(
      names = "--image-size",
      paramLabel = "PIXELS",
      converter = OptionConverters.PositiveInt.class,
      description = "The old name of --resize-dim, still accepted.")
  void imageSize(int pixels) {
    architecture.resizeDim = pixels;
  }

  @Option(
      names = "--min-aspect-dim",
      paramLabel = "PIXELS",
      converter = OptionConverters.PositiveInt.class,
      description =
          "Shorter image side after the aspect-preserving resize, before the central"
              + " crop, for image folders and the exported image_bytes signature (default: the"
              + " --resize-dim value).")
  Integer minAspectDim;

  @Option(
      names = "--classes",
      paramLabel = "N",
      converter = OptionConverters.PositiveInt.class,
      description =
          "Number of classes: of the synthetic set (2 to "
              + SyntheticShapesDataset.MAX_CLASSES
              + ", default 10), or, for an image folder, a"
              + " check of its class folder count.")
  Integer classes;

  @Option(
      names = "--batch",
      paramLabel = "N",
      defaultValue = "64",
      converter = OptionConverters.PositiveInt.class,
      description = "Images per training step (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--steps",
      paramLabel = "N",
      defaultValue = "1500",
      converter = OptionConverters.PositiveInt.class,
      description =
          "Training steps; a resumed run continues to this step" + " (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--schedule",
      defaultValue = "cosine",
      converter = OptionConverters.Schedule.class,
      description =
          "Learning-rate decay after the warm-up: cosine, or piecewise (the official"
              + " ResNet's 10x drops at 1/3, 2/3 and 8/9 of the run) (default: ${DEFAULT-VALUE}).")
  LearningRateSchedule.Decay schedule;

  @Option(
      names = "--lr",
      paramLabel = "RATE",
      defaultValue = "0.05",
      description = "Peak learning rate, reached after the warm-up (default: ${DEFAULT-VALUE}).")
  double learningRate;

  @Option(
      names = "--warmup-steps",
      paramLabel = "N",
      description = "Steps of linear learning-rate warm-up from 0 (default: 5%% of --steps).")
  Long warmupSteps;

  @Option(
      names = "--weight-decay",
      paramLabel = "FACTOR",
      defaultValue = "1e-4",
      description = "L2 factor on every weight but batch norm's (default: ${DEFAULT-VALUE}).")
  double weightDecay;

  @Option(
      names = "--momentum",
      paramLabel = "M",
      defaultValue = "0.9",
      description = "Momentum of the SGD optimizer (default: ${DEFAULT-VALUE}).")
  double momentum;

  @Option(
      names = "--seed",
      paramLabel = "SEED",
      defaultValue = "42",
      description =
          "Seed of the initial weights, the data order, the augmentation and the"
              + " synthetic images (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--synthetic-train-size",
      paramLabel = "N",
      converter = OptionConverters.PositiveInt.class,
      description = "Synthetic training images (default: 1000 per class).")
  Integer syntheticTrainSize;

  @Option(
      names = "--synthetic-validation-size",
      paramLabel = "N",
      converter = OptionConverters.PositiveInt.class,
      description = "Synthetic validation images (default: 200 per class).")
  Integer syntheticValidationSize;

  @Option(
      names = "--validation-fraction",
      paramLabel = "FRACTION",
      defaultValue = "0.1",
      description =
          "Share of each class folder held out for validation when DATA has no"
              + " train/ and validation/ sub-folders (default: ${DEFAULT-VALUE}).")
  double validationFraction;

  @Option(
      names = "--checkpoint-dir",
      paramLabel = "DIR",
      description = "Checkpoints, metrics.csv and metrics.png (default: runs/<name>).")
  Path checkpointDir;

  @Option(
      names = "--checkpoint-every",
      paramLabel = "N",
      defaultValue = "500",
      converter = OptionConverters.PositiveInt.class,
      description =
          "Steps between checkpoints; one is always written at the end"
              + " (default: ${DEFAULT-VALUE}).")
  int checkpointEvery;

  @Option(
      names = "--keep-checkpoints",
      paramLabel = "N",
      defaultValue = "3",
      converter = OptionConverters.PositiveInt.class,
      description = "Checkpoints to keep, the newest (default: ${DEFAULT-VALUE}).")
  int keepCheckpoints;

  @Option(
      names = "--eval-every",
      paramLabel = "N",
      converter = OptionConverters.PositiveInt.class,
      description =
          "Steps between validation passes; one always runs at the end"
              + " (default: a sixth of --steps).")
  Integer evalEvery;

  @Option(
      names = "--resume",
      description =
          "Continue from the newest checkpoint in the checkpoint directory, with its"
              + " step, schedule position and optimizer state.")
  boolean resume;

  @Option(
      names = "--allow-changed-settings",
      description =
          "With --resume, continue even if the training options or the class folders"
              + " differ from the run's (stored in its "
              + RunSettings.FILE
              + "); without it such a"
              + " resume is refused with the list of differences.")
  boolean allowChangedSettings;

  @Mixin FineTuningOptions fineTuning;

  @Mixin ExportDestinationOptions destination;

  @Option(
      names = "--version",
      paramLabel = "VERSION",
      description = "Model version, its numeric directory (default: one above the highest).")
  Long version;

  @Option(names = "--no-export", description = "Train and checkpoint only.")
  boolean noExport;

  @Override
  public Integer call() throws Exception {
    // Before anything loads TensorFlow, which reads its oneDNN switch once.
    TensorFlowStartup.prepareFor(OneDnnPolicy.Workload.TRAINING);
    PrintWriter out = spec.commandLine().getOut();
    String modelName = destination.modelName(architecture.depth);
    if (!noExport) {
      destination.requireValidDestination(spec.commandLine(), modelName, version);
    }
    Path runDirectory = checkpointDir != null ? checkpointDir : Path.of("runs", modelName);
    requireResumeMatchesCheckpoints(runDirectory);
    int minAspect = minAspectDim != null ? minAspectDim : architecture.resizeDim;
    try (DatasetSplit split = openData(minAspect)) {
      TrainingConfig config = trainingConfig(minAspect, split.train().classNames().size());
      printPlan(out, config, split, runDirectory);
      try (Trainer trainer = new Trainer(config)) {
        trainer.initialization().ifPresent(report -> out.println("  " + report.summary()));
        TrainingRun.Summary summary =
            new TrainingRun(trainer, split, runOptions(runDirectory), out).run();
        printRun(out, summary, runDirectory);
        if (!noExport) {
          export(out, trainer, modelName, split);
        }
        out.printf(
            Locale.ROOT,
            "Validation accuracy: %.4f (%d images) at step %d%n",
            summary.validationAccuracy(),
            split.validation().size(),
            summary.finalStep());
      }
    }
    out.flush();
    return 0;
  }

  /** How {@link TrainingRun} checkpoints, evaluates, resumes and reports, from the options. */
  private TrainingRun.Options runOptions(Path runDirectory) {
    return new TrainingRun.Options(
        runDirectory,
        checkpointEvery,
        keepCheckpoints,
        evalInterval(),
        resume,
        ProgressBar.isTerminal(),
        allowChangedSettings);
  }

  /** The steps trained, their time, the last checkpoint and where the metrics are. */
  private static void printRun(PrintWriter out, TrainingRun.Summary summary, Path runDirectory) {
    out.printf(
        Locale.ROOT,
        "Trained steps %d to %d in %s; checkpoint %s%n",
        summary.firstStep(),
        summary.finalStep(),
        ProgressBar.formatDuration(summary.trainingTime().toMillis() / 1000.0),
        summary.lastCheckpoint());
    out.printf(
        Locale.ROOT,
        "Metrics: %s, %s%n",
        runDirectory.resolve(TrainingRun.METRICS_CSV),
        runDirectory.resolve(TrainingRun.METRICS_PNG));
  }

  /** The configuration the options describe, for a dataset of {@code numClasses} classes. */
  private TrainingConfig trainingConfig(int minAspect, int numClasses) {
    return TrainingConfig.builder()
        .depth(architecture.depth)
        .imageSize(architecture.resizeDim)
        .minAspectDim(minAspect)
        .numClasses(numClasses)
        .dataFormat(architecture.dataFormat)
        .seed(seed)
        .batchSize(batch)
        .steps(steps)
        .decay(schedule)
        .learningRate(learningRate)
        .warmupSteps(warmupSteps != null ? warmupSteps : steps / 20)
        .weightDecay(weightDecay)
        .momentum(momentum)
        .fineTuning(fineTuning.fineTuning())
        .build();
  }

  /** {@code --eval-every}, or six evaluations per run. */
  private long evalInterval() {
    return evalEvery != null ? evalEvery : Math.max(1, steps / 6);
  }

  /** Prints what is about to be trained, on what, and where the run is kept. */
  private void printPlan(
      PrintWriter out, TrainingConfig config, DatasetSplit split, Path runDirectory) {
    out.printf(
        Locale.ROOT,
        "Training ResNet-%d v2 (%s) on %s%n",
        architecture.depth,
        architecture.dataFormat.pythonName(),
        split.train());
    out.printf(Locale.ROOT, "  validation: %s%n", split.validation());
    out.printf(
        Locale.ROOT,
        "  %d steps of %d images, momentum %.2f, weight decay %.1e, %s, seed %d%n",
        steps,
        batch,
        momentum,
        weightDecay,
        config.schedule(),
        seed);
    out.printf(Locale.ROOT, "  run directory: %s%n", runDirectory);
    if (!FineTuning.NONE.equals(config.fineTuning())) {
      out.printf(Locale.ROOT, "  fine-tuning: %s%n", config.fineTuning());
    }
    out.flush();
  }

  /** Exports the trained weights with the class names as labels. */
  private void export(PrintWriter out, Trainer trainer, String modelName, DatasetSplit split)
      throws IOException {
    SavedModelExporter exporter = destination.exporter(modelName, split.train().classNames());
    Path exported = trainer.export(exporter, version != null ? version : exporter.nextVersion());
    out.printf(
        Locale.ROOT,
        "Exported %s (labels.txt: %d classes)%n",
        exported,
        split.train().classNames().size());
  }

  private void requireResumeMatchesCheckpoints(Path runDirectory) {
    if (resume || !Files.isDirectory(runDirectory)) {
      return;
    }
    try {
      TrainingRun.latestCheckpoint(
          new CheckpointManager(runDirectory, keepCheckpoints),
          false,
          "add --resume to continue it, or pick another --checkpoint-dir or --name");
    } catch (IllegalStateException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private DatasetSplit openData(int minAspect) {
    if (SYNTHETIC.equals(data)) {
      int numClasses = classes != null ? classes : 10;
      return SyntheticShapesDataset.splits(
          numClasses,
          architecture.resizeDim,
          syntheticTrainSize != null ? syntheticTrainSize : 1000 * numClasses,
          syntheticValidationSize != null ? syntheticValidationSize : 200 * numClasses,
          seed);
    }
    Path folder = Path.of(data);
    if (!Files.isDirectory(folder)) {
      throw new ParameterException(
          spec.commandLine(),
          "DATA must be an image folder or '" + SYNTHETIC + "'; no directory " + folder);
    }
    DatasetSplit split =
        ImageFolderDataset.split(
            folder,
            new ImagePreprocessing(minAspect, architecture.resizeDim),
            validationFraction,
            seed);
    int found = split.train().classNames().size();
    if (classes != null && classes != found) {
      split.close();
      throw new ParameterException(
          spec.commandLine(),
          "--classes is "
              + classes
              + " but "
              + folder
              + " has "
              + found
              + " class folders: "
              + split.train().classNames());
    }
    return split;
  }
}
