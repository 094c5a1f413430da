package io.github.resnetjava.train;

import io.github.resnetjava.model.DataFormat;
import io.github.resnetjava.model.ResNetModel;
import io.github.resnetjava.preprocessing.ImagePreprocessing;
import org.tensorflow.op.Ops;

/**
 * What to train and how: the model's architecture and seed, the batch size, the run length, the
 * learning-rate schedule and the official ResNet's optimizer settings. Built with {@link
 * #builder()}, which holds the defaults and validates in {@link Builder#build()}.
 *
 * @param depth ResNet depth, one of {@link ResNetModel#BLOCK_LAYER_SIZES}' keys
 * @param imageSize side of the square images the model reads (the model's {@code resizeDim})
 * @param minAspectDim the exported {@code image_bytes} signature's shorter side before its central
 *     crop (the model's {@code minAspectDim}), {@code >= imageSize}
 * @param numClasses number of classes
 * @param dataFormat the model's data format; images are fed NHWC either way
 * @param seed seeds the initial weights, the data order and the augmentation
 * @param batchSize images per training step
 * @param steps the global step at which training ends
 * @param decay the schedule's shape after warm-up
 * @param learningRate the schedule's peak rate
 * @param warmupSteps steps of linear warm-up
 * @param weightDecay the L2 factor of {@link TrainingLoss}
 * @param momentum the {@link MomentumOptimizer}'s momentum
 * @param fineTuning the weights to start from and what to train ({@link FineTuning#NONE}: all, from
 *     fresh weights)
 */
public record TrainingConfig(
    int depth,
    int imageSize,
    int minAspectDim,
    int numClasses,
    DataFormat dataFormat,
    long seed,
    int batchSize,
    long steps,
    LearningRateSchedule.Decay decay,
    double learningRate,
    long warmupSteps,
    double weightDecay,
    double momentum,
    FineTuning fineTuning) {

  /**
   * @throws IllegalArgumentException naming the offending value and what is allowed
   */
  public TrainingConfig {
    ResNetModel.blockLayerSizesFor(depth);
    requirePositive("imageSize", imageSize);
    requirePositive("numClasses", numClasses);
    requirePositive("batchSize", batchSize);
    if (dataFormat == null) {
      throw new IllegalArgumentException("dataFormat must be channels_last or channels_first");
    }
    new ImagePreprocessing(minAspectDim, imageSize);
    LearningRateSchedule.of(decay, learningRate, warmupSteps, steps);
    if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
      throw new IllegalArgumentException("weightDecay must be a number >= 0; got " + weightDecay);
    }
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("momentum must be in [0, 1); got " + momentum);
    }
    if (fineTuning == null) {
      throw new IllegalArgumentException("fineTuning must not be null; FineTuning.NONE trains all");
    }
  }

  /** A builder with the defaults: ResNet-18 on 32x32 images, batch 64, cosine from 0.1. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    return new Builder()
        .depth(depth)
        .imageSize(imageSize)
        .minAspectDim(minAspectDim)
        .numClasses(numClasses)
        .dataFormat(dataFormat)
        .seed(seed)
        .batchSize(batchSize)
        .steps(steps)
        .decay(decay)
        .learningRate(learningRate)
        .warmupSteps(warmupSteps)
        .weightDecay(weightDecay)
        .momentum(momentum)
        .fineTuning(fineTuning);
  }

  /** This configuration's learning rate as a function of the step. */
  public LearningRateSchedule schedule() {
    return LearningRateSchedule.of(decay, learningRate, warmupSteps, steps);
  }

  /** A model of this architecture and seed, building with {@code tf}. */
  public ResNetModel newModel(Ops tf) {
    return new ResNetModel(tf, minAspectDim, imageSize, depth, numClasses, dataFormat, seed);
  }

  /** Builds a {@link TrainingConfig}; every setter returns this builder. */
  public static final class Builder {
    private int depth = 18;
    private int imageSize = 32;
    private Integer minAspectDim;
    private int numClasses = 10;
    private DataFormat dataFormat = DataFormat.CHANNELS_LAST;
    private long seed = 42;
    private int batchSize = 64;
    private long steps = 1000;
    private LearningRateSchedule.Decay decay = LearningRateSchedule.Decay.COSINE;
    private double learningRate = 0.1;
    private long warmupSteps = 0;
    private double weightDecay = TrainingLoss.DEFAULT_WEIGHT_DECAY;
    private double momentum = MomentumOptimizer.DEFAULT_MOMENTUM;
    private FineTuning fineTuning = FineTuning.NONE;

    private Builder() {}

    /** ResNet depth (default 18). */
    public Builder depth(int depth) {
      this.depth = depth;
      return this;
    }

    /** Image side (default 32). */
    public Builder imageSize(int imageSize) {
      this.imageSize = imageSize;
      return this;
    }

    /** The export's resize target before cropping (default: the image size, no resize margin). */
    public Builder minAspectDim(int minAspectDim) {
      this.minAspectDim = minAspectDim;
      return this;
    }

    /** Number of classes (default 10). */
    public Builder numClasses(int numClasses) {
      this.numClasses = numClasses;
      return this;
    }

    /** Data format (default channels_last, the fast one on CPUs). */
    public Builder dataFormat(DataFormat dataFormat) {
      this.dataFormat = dataFormat;
      return this;
    }

    /** Seed of weights, data order and augmentation (default 42). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Images per step (default 64). */
    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /** Total training steps (default 1000). */
    public Builder steps(long steps) {
      this.steps = steps;
      return this;
    }

    /** Schedule shape (default cosine). */
    public Builder decay(LearningRateSchedule.Decay decay) {
      this.decay = decay;
      return this;
    }

    /** Peak learning rate (default 0.1, the official ResNet's rate for batch 256 is 0.1). */
    public Builder learningRate(double learningRate) {
      this.learningRate = learningRate;
      return this;
    }

    /** Warm-up steps (default 0). */
    public Builder warmupSteps(long warmupSteps) {
      this.warmupSteps = warmupSteps;
      return this;
    }

    /** L2 factor (default 1e-4, the official ResNet's). */
    public Builder weightDecay(double weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    /** Momentum (default 0.9, the official ResNet's). */
    public Builder momentum(double momentum) {
      this.momentum = momentum;
      return this;
    }

    /** Start from trained weights and what to train (default {@link FineTuning#NONE}). */
    public Builder fineTuning(FineTuning fineTuning) {
      this.fineTuning = fineTuning;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException naming the offending value and what is allowed
     */
    public TrainingConfig build() {
      return new TrainingConfig(
          depth,
          imageSize,
          minAspectDim == null ? imageSize : minAspectDim,
          numClasses,
          dataFormat,
          seed,
          batchSize,
          steps,
          decay,
          learningRate,
          warmupSteps,
          weightDecay,
          momentum,
          fineTuning);
    }
  }

  private static void requirePositive(String name, long value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be >= 1; got " + value);
    }
  }
}
