package io.github.resnetjava.layers;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;

/**
 * TF1 {@code tf.layers.batch_normalization} on the channel axis, fused, with its defaults:
 * {@code momentum = 0.99}, {@code epsilon = 1e-3}, {@code gamma} ones, {@code beta} zeros,
 * {@code moving_mean} zeros and {@code moving_variance} ones (the last two not trainable).
 *
 * <p>Training mode normalizes with the batch's mean and biased variance and registers two update
 * ops, {@code moving -= (moving - batch) * (1 - momentum)}, fed, as TF's fused kernel feeds them,
 * the batch mean and the Bessel-corrected batch variance. The output does not depend on the update
 * ops: run {@link VariableStore#updateOps()} to apply them (TF1's {@code UPDATE_OPS}). Inference
 * mode normalizes with the moving statistics and registers nothing.
 */
public final class BatchNormalizationLayer {
  /** TF1 {@code tf.layers.batch_normalization}'s default {@code momentum}. */
  public static final double MOMENTUM = 0.99;

  /** TF1 {@code tf.layers.batch_normalization}'s default {@code epsilon}. */
  public static final float EPSILON = 1e-3f;

  private final VariableStore store;
  private final Layout layout;

  /** A batch-norm factory whose layers create variables in {@code store} and read {@code layout}. */
  public BatchNormalizationLayer(VariableStore store, Layout layout) {
    this.store = store;
    this.layout = layout;
  }

  /**
   * Builds the normalization of {@code inputs} over its channel axis.
   *
   * @param scope the enclosing variable scope; the layer is {@code batch_normalization_N} in it
   * @param inputs a 4-D batch in this layer's layout
   * @param training batch statistics and update ops when true; moving statistics when false
   * @return the normalized batch, same shape and layout
   */
  public Operand<TFloat32> apply(LayerScope scope, Operand<TFloat32> inputs, boolean training) {
    int channels = TensorShapes.channels(inputs, layout, "batch_normalization input");
    LayerScope layer = scope.layer(null, "batch_normalization");
    Shape shape = Shape.of(channels);
    Variable<TFloat32> gamma = store.getOrCreate(layer, "gamma", shape, Initializer.ones(), true);
    Variable<TFloat32> beta = store.getOrCreate(layer, "beta", shape, Initializer.zeros(), true);
    Variable<TFloat32> movingMean =
        store.getOrCreate(layer, "moving_mean", shape, Initializer.zeros(), false);
    Variable<TFloat32> movingVariance =
        store.getOrCreate(layer, "moving_variance", shape, Initializer.ones(), false);
    Ops tf = layer.ops();
    if (!training) {
      return tf.nn.fusedBatchNorm(
              inputs, gamma, beta, movingMean, movingVariance, options(false))
          .y();
    }
    Operand<TFloat32> empty = tf.constant(new float[0]);
    FusedBatchNorm<TFloat32, TFloat32> normalized =
        tf.nn.fusedBatchNorm(inputs, gamma, beta, empty, empty, options(true));
    store.addUpdateOp(assignMovingAverage(tf, movingMean, normalized.batchMean()));
    store.addUpdateOp(assignMovingAverage(tf, movingVariance, normalized.batchVariance()));
    return normalized.y();
  }

  private FusedBatchNorm.Options[] options(boolean training) {
    return new FusedBatchNorm.Options[] {
      FusedBatchNorm.epsilon(EPSILON),
      FusedBatchNorm.isTraining(training),
      FusedBatchNorm.dataFormat(layout.tfName())
    };
  }

  /**
   * TF1 {@code assign_moving_average(variable, value, momentum, zero_debias=False)}; the decay
   * {@code 1 - momentum} is computed in double and rounded once, as Python does.
   */
  private static org.tensorflow.op.Op assignMovingAverage(
      Ops tf, Variable<TFloat32> variable, Operand<TFloat32> value) {
    Operand<TFloat32> delta =
        tf.math.mul(tf.math.sub(variable, value), tf.constant((float) (1.0 - MOMENTUM)));
    return tf.withName("AssignMovingAvg").assignSub(variable, delta);
  }
}
