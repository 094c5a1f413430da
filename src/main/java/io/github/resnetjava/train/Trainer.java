package io.github.resnetjava.train;

import io.github.resnetjava.export.ExportException;
import io.github.resnetjava.export.SavedModelExporter;
import io.github.resnetjava.export.ServingGraph;
import io.github.resnetjava.runtime.OneDnnPolicy;
import io.github.resnetjava.runtime.TensorFlowStartup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Trains a ResNet in one TensorFlow session: the official TF ResNet's training step ({@link
 * TrainingGraph}) at the rate {@link LearningRateSchedule} gives for the current global step,
 * evaluation of the inference pass, checkpoint save and restore of the whole state, and the export
 * of the trained weights as a SavedModel.
 *
 * <p>Determinism: the initial weights come from the configuration's seed, {@link BatchSource} makes
 * the batches a function of the seed and the step, and every update waits for all reads of its step
 * (see {@link MomentumOptimizer}), so on a CPU one seed gives the same weights bit for bit run
 * after run, and a resumed run the same weights as an uninterrupted one (verified on a 2-core
 * machine by the tests). TensorFlow's CPU kernels may split sums differently with another number of
 * threads, so other machines can differ in the last bits; GPU kernels are not covered.
 *
 * <p>The first Trainer of a process, created before anything else runs TensorFlow, leaves
 * TensorFlow's own oneDNN choice in place for the process ({@link OneDnnPolicy}): oneDNN trains
 * several times faster on CPUs where TensorFlow turns it on. Like a Classifier, it also chooses
 * TensorFlow's BFC allocator for CPU tensors ({@link TensorFlowStartup}).
 *
 * <p>Not thread-safe. Owns its graph and session: close it.
 */
public final class Trainer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  /**
   * What one training step reported, all computed from the weights before its update.
   *
   * @param step the global step of the update (before incrementing)
   * @param learningRate the rate used
   * @param loss cross-entropy plus weight decay
   * @param crossEntropy the batch-mean cross-entropy
   * @param accuracy fraction of the batch classified right in training mode
   */
  public record StepResult(
      long step, double learningRate, float loss, float crossEntropy, float accuracy) {}

  private final TrainingConfig config;
  private final LearningRateSchedule schedule;
  private final TrainingGraph graph;
  private final Session session;
  private long globalStep;
  private FiniteVariablesCheck finiteCheck;
  private final WeightTransfer.Report initialization;

  /**
   * Builds the training graph of {@code config} and a session with freshly initialized state, the
   * model's variables then taken from {@link FineTuning#initFrom()} where it is set.
   *
   * @throws IllegalArgumentException if the weights to start from cannot be read or do not fit the
   *     model (see {@link WeightTransfer})
   */
  public Trainer(TrainingConfig config) {
    TensorFlowStartup.prepareFor(OneDnnPolicy.Workload.TRAINING);
    this.config = config;
    this.schedule = config.schedule();
    this.graph = TrainingGraph.build(config);
    Session created = null;
    try {
      created = new Session(graph.graph());
      created.initialize();
      Path initFrom = config.fineTuning().initFrom();
      this.initialization =
          initFrom == null ? null : WeightTransfer.apply(graph, created, initFrom);
    } catch (RuntimeException e) {
      if (created != null) {
        created.close();
      }
      graph.close();
      throw e;
    }
    this.session = created;
    this.globalStep = readGlobalStep();
  }

  /**
   * Runs one training step on {@code batch} at the schedule's rate for the current global step.
   *
   * @throws IllegalArgumentException if the batch's image size is not the model's
   */
  public StepResult step(Batch batch) {
    requireImageSize(batch);
    long step = globalStep;
    double learningRate = schedule.learningRate(step);
    try (TrainingFeed feed = new TrainingFeed(graph, batch, learningRate);
        Result result =
            feed.runner(session)
                .addTarget(graph.trainOp())
                .fetch(graph.loss().total())
                .fetch(graph.loss().crossEntropy())
                .fetch(graph.accuracy())
                .run()) {
      globalStep = step + 1;
      return new StepResult(
          step, learningRate, scalar(result, 0), scalar(result, 1), scalar(result, 2));
    }
  }

  /** The inference-mode predictions for {@code batch}'s images: class indices {@code [size]}. */
  public int[] predict(Batch batch) {
    requireImageSize(batch);
    try (TFloat32 images = TrainingFeed.imagesTensor(batch);
        Result result =
            session.runner().feed(graph.evalImages(), images).fetch(graph.evalClasses()).run()) {
      int[] classes = new int[batch.size()];
      ((TInt32) result.get(0)).copyTo(DataBuffers.of(classes));
      return classes;
    }
  }

  /**
   * The inference-mode accuracy on every image of {@code dataset}, read in order in batches of
   * {@code batchSize} (what the official ResNet's {@code EVAL} mode reports as {@code accuracy}).
   *
   * @return the fraction of images whose predicted class is their label
   */
  public double evaluate(ImageDataset dataset, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1; got " + batchSize);
    }
    long correct = 0;
    for (int start = 0; start < dataset.size(); start += batchSize) {
      int[] indices = new int[Math.min(batchSize, dataset.size() - start)];
      for (int i = 0; i < indices.length; i++) {
        indices[i] = start + i;
      }
      Batch batch = Batch.read(dataset, indices);
      int[] predicted = predict(batch);
      for (int i = 0; i < predicted.length; i++) {
        if (predicted[i] == batch.labels()[i]) {
          correct++;
        }
      }
    }
    return (double) correct / dataset.size();
  }

  /**
   * Writes every variable of the graph (model, momentum slots, global step) in TensorFlow's
   * checkpoint format: {@code <prefix>.index} and {@code <prefix>.data-00000-of-00001}.
   */
  public void save(Path prefix) {
    session.save(prefix.toString());
  }

  /**
   * Restores every variable from a checkpoint written by {@link #save} for the same configuration,
   * global step included, so training continues where it stopped.
   *
   * @throws IllegalArgumentException if the checkpoint does not match this model
   */
  public void restore(Path prefix) {
    try {
      session.restore(prefix.toString());
    } catch (IllegalArgumentException | org.tensorflow.exceptions.TensorFlowException e) {
      throw new IllegalArgumentException(
          "Cannot restore checkpoint "
              + prefix
              + " into a ResNet-"
              + config.depth()
              + " with "
              + config.numClasses()
              + " classes on "
              + config.imageSize()
              + "x"
              + config.imageSize()
              + " images (was it written with other options?): "
              + e.getMessage().lines().findFirst().orElse(""),
          e);
    }
    globalStep = readGlobalStep();
  }

  /**
   * Whether every float variable (weights, batch-norm statistics, momentum slots) holds only finite
   * values: false once training has diverged to NaN or infinity.
   */
  public boolean variablesFinite() {
    if (finiteCheck == null) {
      finiteCheck = new FiniteVariablesCheck(graph.graph());
    }
    return finiteCheck.allFinite(session);
  }

  /**
   * Exports the current weights as a SavedModel with the serving signatures of {@link
   * ServingGraph}: the weights are checkpointed to a temporary directory and restored by name into
   * a fresh inference-only graph, so the SavedModel holds neither the training ops nor the
   * optimizer state.
   *
   * @return the version directory written
   * @throws IllegalStateException if a weight is NaN or infinite: a diverged model is never
   *     exported
   * @throws ExportException if writing fails
   */
  public Path export(SavedModelExporter exporter, long version) {
    if (!variablesFinite()) {
      throw new IllegalStateException(
          "The weights at step "
              + globalStep
              + " hold NaN or infinite values (training"
              + " diverged); not exporting them");
    }
    Path staging;
    try {
      staging = Files.createTempDirectory("resnet-train-export-");
    } catch (IOException e) {
      throw new ExportException("Cannot create a temporary directory for the export", e);
    }
    try (Graph inference = new Graph()) {
      Path prefix = staging.resolve("weights");
      save(prefix);
      ServingGraph servingGraph = ServingGraph.build(config.newModel(Ops.create(inference)));
      try (Session exportSession = new Session(inference)) {
        exportSession.restore(prefix.toString());
        return exporter.export(exportSession, servingGraph, version);
      }
    } finally {
      deleteRecursively(staging);
    }
  }

  /** What initializing from {@link FineTuning#initFrom()} restored; empty without it. */
  public Optional<WeightTransfer.Report> initialization() {
    return Optional.ofNullable(initialization);
  }

  /** The global step of the next update. */
  public long globalStep() {
    return globalStep;
  }

  /** The learning rate the next step will use. */
  public double learningRate() {
    return schedule.learningRate(globalStep);
  }

  /** The configuration trained. */
  public TrainingConfig config() {
    return config;
  }

  /** The schedule giving each step's rate. */
  public LearningRateSchedule schedule() {
    return schedule;
  }

  /** The training graph (for tests and tools that fetch more than a step reports). */
  public TrainingGraph graph() {
    return graph;
  }

  /** The session holding the training state. */
  public Session session() {
    return session;
  }

  @Override
  public void close() {
    try {
      session.close();
    } finally {
      graph.close();
    }
  }

  private long readGlobalStep() {
    try (Result result = session.runner().fetch(graph.globalStep()).run()) {
      return ((TInt64) result.get(0)).getLong();
    }
  }

  private void requireImageSize(Batch batch) {
    if (batch.imageSize() != config.imageSize()) {
      throw new IllegalArgumentException(
          "The model reads "
              + config.imageSize()
              + "x"
              + config.imageSize()
              + " images; got a batch of "
              + batch.imageSize()
              + "x"
              + batch.imageSize());
    }
  }

  private static float scalar(Result result, int index) {
    return ((TFloat32) result.get(index)).getFloat();
  }

  /** Deletes the export's temporary weights, best effort: the export itself succeeded or not. */
  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("Could not delete the temporary directory {}: {}", dir, e.toString());
    }
  }
}
