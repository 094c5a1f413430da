package io.github.resnetjava.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The official TF ResNet's training loss ({@code official/r1/resnet/resnet_run_loop.py}, {@code
 * resnet_model_fn}): the batch mean of the softmax cross-entropy plus {@code weightDecay} times the
 * sum of {@code tf.nn.l2_loss} ({@code sum(v^2) / 2}) of every trainable variable whose name does
 * not contain {@value #BATCH_NORM_NAME} ({@code exclude_batch_norm}); kernels and biases are
 * decayed, batch-norm {@code gamma} and {@code beta} are not.
 *
 * <p>The cross-entropy is {@code SoftmaxCrossEntropyWithLogits} on one-hot labels, which is what
 * {@code tf.losses.sparse_softmax_cross_entropy} computes; the sparse op itself has no gradient in
 * TensorFlow's C++ gradient registry, which TF Java differentiates with.
 */
public final class TrainingLoss {
  /** The official ResNet's {@code weight_decay} for ImageNet. */
  public static final double DEFAULT_WEIGHT_DECAY = 1e-4;

  /** Variables whose name contains this are not decayed (official {@code exclude_batch_norm}). */
  public static final String BATCH_NORM_NAME = "batch_normalization";

  private final Operand<TFloat32> crossEntropy;
  private final Operand<TFloat32> weightDecayTerm;
  private final Operand<TFloat32> total;
  private final List<Variable<TFloat32>> decayedVariables;

  private TrainingLoss(
      Operand<TFloat32> crossEntropy,
      Operand<TFloat32> weightDecayTerm,
      Operand<TFloat32> total,
      List<Variable<TFloat32>> decayedVariables) {
    this.crossEntropy = crossEntropy;
    this.weightDecayTerm = weightDecayTerm;
    this.total = total;
    this.decayedVariables = decayedVariables;
  }

  /**
   * Builds the loss.
   *
   * @param tf ops factory whose name scope holds the loss ops
   * @param logits {@code [batch, numClasses]}
   * @param oneHotLabels {@code [batch, numClasses]}, one 1 per row
   * @param trainableVariables the variables the optimizer updates (TF1 {@code
   *     tf.trainable_variables()})
   * @param weightDecay the L2 factor, {@code >= 0}
   */
  public static TrainingLoss build(
      Ops tf,
      Operand<TFloat32> logits,
      Operand<TFloat32> oneHotLabels,
      List<Variable<TFloat32>> trainableVariables,
      double weightDecay) {
    if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
      throw new IllegalArgumentException("weightDecay must be a number >= 0; got " + weightDecay);
    }
    Operand<TFloat32> perExample = tf.nn.softmaxCrossEntropyWithLogits(logits, oneHotLabels).loss();
    Operand<TFloat32> crossEntropy =
        tf.withName("cross_entropy").math.mean(perExample, tf.constant(0));

    List<Variable<TFloat32>> decayed = new ArrayList<>();
    List<Operand<TFloat32>> l2Losses = new ArrayList<>();
    for (Variable<TFloat32> variable : trainableVariables) {
      if (isDecayed(variable.op().name())) {
        decayed.add(variable);
        l2Losses.add(tf.nn.l2Loss(variable));
      }
    }
    Operand<TFloat32> l2Sum = l2Losses.isEmpty() ? tf.constant(0f) : tf.math.addN(l2Losses);
    Operand<TFloat32> weightDecayTerm =
        tf.withName("weight_decay").math.mul(l2Sum, tf.constant((float) weightDecay));
    Operand<TFloat32> total = tf.withName("total").math.add(crossEntropy, weightDecayTerm);
    return new TrainingLoss(
        crossEntropy, weightDecayTerm, total, Collections.unmodifiableList(decayed));
  }

  /** Whether the variable {@code name} is L2-decayed: the official {@code exclude_batch_norm}. */
  public static boolean isDecayed(String name) {
    return !name.contains(BATCH_NORM_NAME);
  }

  /** Scalar: the batch mean of the softmax cross-entropy. */
  public Operand<TFloat32> crossEntropy() {
    return crossEntropy;
  }

  /** Scalar: {@code weightDecay * sum(l2_loss(v))} over {@link #decayedVariables()}. */
  public Operand<TFloat32> weightDecayTerm() {
    return weightDecayTerm;
  }

  /** Scalar: cross-entropy plus weight decay, the value the gradients are taken of. */
  public Operand<TFloat32> total() {
    return total;
  }

  /** The variables in the weight-decay sum, in the order given. */
  public List<Variable<TFloat32>> decayedVariables() {
    return decayedVariables;
  }
}
