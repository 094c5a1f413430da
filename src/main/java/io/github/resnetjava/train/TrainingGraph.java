package io.github.resnetjava.train;

import io.github.resnetjava.layers.VariableStore;
import io.github.resnetjava.model.ResNetModel;
import io.github.resnetjava.preprocessing.ImagePreprocessing;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * One graph holding a {@link ResNetModel}'s training step and its inference pass on shared weights,
 * as the official TF ResNet's {@code resnet_model_fn} builds them for {@code TRAIN} and {@code
 * EVAL}:
 *
 * <ul>
 *   <li>training: {@value #IMAGES} and {@value #LABELS} through {@code model.modelLayers(x, true)},
 *       the {@link TrainingLoss}, a {@link MomentumOptimizer} step at rate {@value #LEARNING_RATE}
 *       over {@code model.trainableVariables()} only, plus {@code model.updateOps()} (the
 *       batch-norm moving averages, TF1's {@code UPDATE_OPS}), all run by {@link #trainOp()};
 *   <li>inference: {@value #EVAL_IMAGES} through {@code model.modelLayers(y, false)} to predicted
 *       classes.
 * </ul>
 *
 * <p>With {@link TrainingConfig#fineTuning()} the optimizer updates {@link
 * FineTuning#trainedVariables} at {@link FineTuning#learningRateScale} times the rate, the weight
 * decay covers those variables, and a frozen backbone builds the training pass in inference mode
 * (no moving-average updates).
 *
 * <p>Images are fed NHWC, RGB 0..255 minus {@link ImagePreprocessing#CHANNEL_MEANS}, exactly what
 * the exported {@code serving_default} signature takes, whatever the model's data format (a
 * channels_first model transposes them in the graph, as the export does). The learning rate is fed
 * per step so it stays a pure function of the step computed by {@link LearningRateSchedule}.
 *
 * <p>Every variable (model, momentum slots, {@value #GLOBAL_STEP}) exists once this class is built,
 * so TensorFlow Java's saver, which captures the graph's variables at the first {@code
 * Session.save} or {@code restore}, checkpoints all of them. Owns its {@link Graph}.
 */
public final class TrainingGraph implements AutoCloseable {
  /** Placeholder: float32 {@code [batch, imageSize, imageSize, 3]} training images, NHWC. */
  public static final String IMAGES = "images";

  /** Placeholder: int32 {@code [batch]} class indices of {@link #IMAGES}. */
  public static final String LABELS = "labels";

  /** Placeholder: float32 scalar learning rate of the step. */
  public static final String LEARNING_RATE = "learning_rate";

  /** Placeholder: float32 {@code [batch, imageSize, imageSize, 3]} images to classify, NHWC. */
  public static final String EVAL_IMAGES = "eval_images";

  /** The int64 step counter variable, TF1's {@code tf.train.get_or_create_global_step()}. */
  public static final String GLOBAL_STEP = "global_step";

  /** Name scope of the loss ops. */
  public static final String LOSS_SCOPE = "loss";

  private final TrainingConfig config;
  private final Graph graph;
  private final ResNetModel model;
  private final Placeholder<TFloat32> images;
  private final Placeholder<TInt32> labels;
  private final Placeholder<TFloat32> learningRate;
  private final Operand<TFloat32> logits;
  private final TrainingLoss loss;
  private final Operand<TFloat32> accuracy;
  private final MomentumOptimizer optimizer;
  private final MomentumOptimizer.Update update;
  private final Variable<TInt64> globalStep;
  private final Op trainOp;
  private final Placeholder<TFloat32> evalImages;
  private final Operand<TFloat32> evalLogits;
  private final Operand<TInt32> evalClasses;

  private TrainingGraph(TrainingConfig config, Graph graph) {
    this.config = config;
    this.graph = graph;
    Ops tf = Ops.create(graph);
    this.model = config.newModel(tf);
    Shape imagesShape =
        Shape.of(-1, config.imageSize(), config.imageSize(), ImagePreprocessing.CHANNELS);

    this.images = tf.withName(IMAGES).placeholder(TFloat32.class, Placeholder.shape(imagesShape));
    this.labels = tf.withName(LABELS).placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    this.learningRate =
        tf.withName(LEARNING_RATE).placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    FineTuning fineTuning = config.fineTuning();
    this.logits = model.modelLayers(modelInput(tf, images), fineTuning.trainsInTrainingMode());

    this.evalImages =
        tf.withName(EVAL_IMAGES).placeholder(TFloat32.class, Placeholder.shape(imagesShape));
    this.evalLogits = model.modelLayers(modelInput(tf, evalImages), false);
    this.evalClasses =
        tf.withName("eval_classes").math.argMax(evalLogits, tf.constant(1), TInt32.class);

    List<Variable<TFloat32>> trained = fineTuning.trainedVariables(model);
    Ops lossOps = tf.withSubScope(LOSS_SCOPE);
    Operand<TFloat32> oneHot =
        lossOps.oneHot(
            labels,
            lossOps.constant(config.numClasses()),
            lossOps.constant(1f),
            lossOps.constant(0f));
    this.loss = TrainingLoss.build(lossOps, logits, oneHot, trained, config.weightDecay());
    this.accuracy =
        lossOps
            .withName("accuracy")
            .math
            .mean(
                lossOps.dtypes.cast(
                    lossOps.math.equal(
                        lossOps.math.argMax(logits, lossOps.constant(1), TInt32.class), labels),
                    TFloat32.class),
                lossOps.constant(0));

    this.globalStep = createGlobalStep(tf);
    this.optimizer = new MomentumOptimizer(tf, config.momentum());
    this.update =
        optimizer.minimize(
            loss.total(),
            trained,
            learningRate,
            fineTuning::learningRateScale,
            globalStep,
            List.of(loss.total(), loss.crossEntropy(), accuracy));
    List<Op> stepOps = new ArrayList<>(model.updateOps());
    stepOps.add(update.applyOp());
    this.trainOp = tf.withControlDependencies(stepOps).withName("train").noOp();
  }

  /**
   * Builds the training and inference graph of {@code config} in a new {@link Graph}.
   *
   * @throws IllegalArgumentException if TensorFlow cannot build it (for example, an image size too
   *     small for the model's downsampling)
   */
  public static TrainingGraph build(TrainingConfig config) {
    if (config == null) {
      throw new IllegalArgumentException("config must not be null");
    }
    Graph graph = new Graph();
    try {
      return new TrainingGraph(config, graph);
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /** TF1 {@code get_or_create_global_step()}: an int64 scalar variable initialized to 0. */
  private static Variable<TInt64> createGlobalStep(Ops tf) {
    return VariableStore.createVariable(
        tf, GLOBAL_STEP, Shape.scalar(), TInt64.class, initializer -> initializer.constant(0L));
  }

  private Operand<TFloat32> modelInput(Ops tf, Operand<TFloat32> imagesNhwc) {
    return model.dataFormat().layout().fromNhwc(tf, imagesNhwc);
  }

  /** The configuration this graph was built from. */
  public TrainingConfig config() {
    return config;
  }

  /** The graph; closed with this object. */
  public Graph graph() {
    return graph;
  }

  /** The model, whose variables both passes share. */
  public ResNetModel model() {
    return model;
  }

  /** {@value #IMAGES}: float32 {@code [batch, imageSize, imageSize, 3]}, NHWC. */
  public Placeholder<TFloat32> images() {
    return images;
  }

  /** {@value #LABELS}: int32 {@code [batch]}. */
  public Placeholder<TInt32> labels() {
    return labels;
  }

  /** {@value #LEARNING_RATE}: float32 scalar. */
  public Placeholder<TFloat32> learningRate() {
    return learningRate;
  }

  /** Training-mode logits {@code [batch, numClasses]}. */
  public Operand<TFloat32> logits() {
    return logits;
  }

  /** The training loss and its parts. */
  public TrainingLoss loss() {
    return loss;
  }

  /** Scalar: the fraction of the training batch whose training-mode arg max is its label. */
  public Operand<TFloat32> accuracy() {
    return accuracy;
  }

  /** Gradients, slots and the update op. */
  public MomentumOptimizer.Update update() {
    return update;
  }

  /** The optimizer whose slots hold the momentum state. */
  public MomentumOptimizer optimizer() {
    return optimizer;
  }

  /** The int64 step counter, incremented by each {@link #trainOp()} run. */
  public Variable<TInt64> globalStep() {
    return globalStep;
  }

  /** One training step: the momentum updates, the global step increment and the BN updates. */
  public Op trainOp() {
    return trainOp;
  }

  /** {@value #EVAL_IMAGES}: float32 {@code [batch, imageSize, imageSize, 3]}, NHWC. */
  public Placeholder<TFloat32> evalImages() {
    return evalImages;
  }

  /** Inference-mode logits {@code [batch, numClasses]} of {@link #evalImages()}. */
  public Operand<TFloat32> evalLogits() {
    return evalLogits;
  }

  /** int32 {@code [batch]}: inference-mode arg max of {@link #evalImages()}' logits. */
  public Operand<TInt32> evalClasses() {
    return evalClasses;
  }

  @Override
  public void close() {
    graph.close();
  }
}
