package io.github.resnetjava.train;

import io.github.resnetjava.model.ResNetModel;
import java.nio.file.Path;
import java.util.List;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * How a run starts from trained weights (transfer learning), as TF1's {@code
 * tf.train.init_from_checkpoint} plus a restricted {@code var_list} do it and Keras' fine-tuning
 * guide describes: the model's variables are initialized by TF1 name from {@code initFrom} (see
 * {@link WeightTransfer}); the head, the {@value ResNetModel#LOGITS} dense layer, may be new
 * (another class count); the rest is the backbone.
 *
 * <p>{@code freezeBackbone} trains the head only and runs the backbone in inference mode during
 * training ({@code base_model(inputs, training=False)} in Keras' guide), so its batch norms use and
 * keep their moving statistics; {@code trainFinalBatchNorm} also trains the final pre-activation's
 * batch-norm {@code gamma} and {@code beta} (still in inference mode). Without freezing, every
 * variable trains in training mode, batch-norm moving statistics included, the backbone's at {@code
 * backboneLearningRateScale} times the schedule's rate.
 *
 * @param initFrom a SavedModel version directory, a {@code models/<name>} directory (its highest
 *     version) or a checkpoint prefix; {@code null} to start from fresh weights
 * @param freezeBackbone train the head only
 * @param trainFinalBatchNorm with {@code freezeBackbone}, also train the final batch norm's scale
 *     and offset
 * @param backboneLearningRateScale factor on the learning rate of backbone variables, {@code > 0};
 *     1 trains them like the head
 */
public record FineTuning(
    Path initFrom,
    boolean freezeBackbone,
    boolean trainFinalBatchNorm,
    double backboneLearningRateScale) {

  /**
   * The variable scope of the final pre-activation's batch norm: {@link ResNetModel#modelLayers}
   * builds it in the root scope, where it is the only batch norm (the others live in the blocks'
   * scopes, {@code block_layer0/regular_block0/batch_normalization}, ...).
   */
  public static final String FINAL_BATCH_NORM = "batch_normalization/";

  /** Fresh weights, everything trained at the schedule's rate: plain training. */
  public static final FineTuning NONE = new FineTuning(null, false, false, 1.0);

  /**
   * @throws IllegalArgumentException naming the offending value and what is allowed
   */
  public FineTuning {
    if (!(backboneLearningRateScale > 0) || Double.isInfinite(backboneLearningRateScale)) {
      throw new IllegalArgumentException(
          "backboneLearningRateScale must be a number > 0 (use freezeBackbone not to train the"
              + " backbone); got "
              + backboneLearningRateScale);
    }
    if (trainFinalBatchNorm && !freezeBackbone) {
      throw new IllegalArgumentException(
          "trainFinalBatchNorm applies to a frozen backbone only: set freezeBackbone too");
    }
    if (freezeBackbone && backboneLearningRateScale != 1.0) {
      throw new IllegalArgumentException(
          "backboneLearningRateScale has no effect on a frozen backbone: use one or the other");
    }
  }

  /** Initialize from {@code source}, train everything at the schedule's rate. */
  public static FineTuning initFrom(Path source) {
    if (source == null) {
      throw new IllegalArgumentException("initFrom must not be null");
    }
    return new FineTuning(source, false, false, 1.0);
  }

  /** This setting with the backbone frozen, the final batch norm trained or not. */
  public FineTuning withFrozenBackbone(boolean trainFinalBatchNorm) {
    return new FineTuning(initFrom, true, trainFinalBatchNorm, 1.0);
  }

  /** This setting with the backbone's learning rate scaled by {@code scale}. */
  public FineTuning withBackboneLearningRateScale(double scale) {
    return new FineTuning(initFrom, freezeBackbone, trainFinalBatchNorm, scale);
  }

  /** Whether variable {@code name} belongs to the head, the {@value ResNetModel#LOGITS} layer. */
  public static boolean isHead(String name) {
    return name.startsWith(ResNetModel.LOGITS + "/");
  }

  /**
   * The variables the optimizer updates (TF1 {@code var_list}): every trainable one, or with a
   * frozen backbone the head's (and the final batch norm's {@code gamma} and {@code beta}).
   *
   * @param model a model whose layers are built
   */
  public List<Variable<TFloat32>> trainedVariables(ResNetModel model) {
    if (!freezeBackbone) {
      return model.trainableVariables();
    }
    return model.trainableVariables().stream()
        .filter(
            variable -> {
              String name = variable.op().name();
              return isHead(name) || (trainFinalBatchNorm && name.startsWith(FINAL_BATCH_NORM));
            })
        .toList();
  }

  /** The learning-rate factor of variable {@code name}: 1 for the head, the scale otherwise. */
  public double learningRateScale(String name) {
    return isHead(name) ? 1.0 : backboneLearningRateScale;
  }

  /** Whether the training pass runs in training mode (batch statistics, moving-average updates). */
  public boolean trainsInTrainingMode() {
    return !freezeBackbone;
  }

  @Override
  public String toString() {
    if (initFrom == null && !freezeBackbone && backboneLearningRateScale == 1.0) {
      return "from scratch";
    }
    String from = initFrom == null ? "fresh weights" : "initialized from " + initFrom;
    if (freezeBackbone) {
      return from
          + ", backbone frozen"
          + (trainFinalBatchNorm ? " but its final batch norm" : "")
          + ", training the head";
    }
    return backboneLearningRateScale == 1.0
        ? from
        : from + ", backbone at " + backboneLearningRateScale + "x the learning rate";
  }
}
