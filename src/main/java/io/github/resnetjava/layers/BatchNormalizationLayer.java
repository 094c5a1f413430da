package io.github.resnetjava.layers;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.BiasAdd;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;

/**
 * TF1 {@code tf.layers.batch_normalization} on the channel axis, fused, with its defaults: {@code
 * momentum = 0.99}, {@code epsilon = 1e-3}, {@code gamma} ones, {@code beta} zeros, {@code
 * moving_mean} zeros and {@code moving_variance} ones (the last two not trainable).
 *
 * <p>Training mode normalizes with the batch's mean and biased variance and registers two update
 * ops, {@code moving -= (moving - batch) * (1 - momentum)}, fed, as TF's fused kernel feeds them,
 * the batch mean and the Bessel-corrected batch variance. The output does not depend on the update
 * ops: run {@link VariableStore#updateOps()} to apply them (TF1's {@code UPDATE_OPS}). Inference
 * mode normalizes with the moving statistics and registers nothing.
 *
 * <p>Inference mode computes what TF's fused kernel computes with {@code is_training=False}, {@code
 * (x - moving_mean) * gamma / sqrt(moving_variance + epsilon) + beta}, as the per-channel affine
 * map {@code x * scale + shift} ({@link #scale}), as TF's non-fused {@code
 * tf.nn.batch_normalization} does, in a {@code Mul} and a {@code BiasAdd} named {@value
 * #INFERENCE_OP_NAME} instead of a {@code FusedBatchNormV3}: oneDNN's inference batch-norm kernel
 * ({@code bnorm_tbb_jit}) took longer than all convolutions of a ResNet-50 on an AMD EPYC of family
 * 26, while the element-wise pair is fast with oneDNN on and off. Outputs equal the fused kernel's
 * within float rounding.
 */
public final class BatchNormalizationLayer {
  /** TF1 {@code tf.layers.batch_normalization}'s default {@code momentum}. */
  public static final double MOMENTUM = 0.99;

  /** TF1 {@code tf.layers.batch_normalization}'s default {@code epsilon}. */
  public static final float EPSILON = 1e-3f;

  /** The name of the op that outputs an inference-mode batch norm, in the layer's scope. */
  public static final String INFERENCE_OP_NAME = "batchnorm";

  private final WeightStore store;
  private final Layout layout;

  /** The four weights of one batch-norm layer, and the scope they live in. */
  record Weights(
      LayerScope layer,
      Operand<TFloat32> gamma,
      Operand<TFloat32> beta,
      Operand<TFloat32> movingMean,
      Operand<TFloat32> movingVariance) {}

  /** A batch-norm factory whose layers take weights from {@code store} and read {@code layout}. */
  public BatchNormalizationLayer(WeightStore store, Layout layout) {
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
    Weights weights =
        weights(scope, TensorShapes.channels(inputs, layout, "batch_normalization input"));
    Ops tf = weights.layer().ops();
    if (!training) {
      Operand<TFloat32> scale = scale(tf, weights);
      Operand<TFloat32> shift =
          tf.math.sub(weights.beta(), tf.math.mul(weights.movingMean(), scale));
      return tf.withName(INFERENCE_OP_NAME)
          .nn
          .biasAdd(
              tf.math.mul(inputs, perChannel(tf, scale)),
              shift,
              BiasAdd.dataFormat(layout.tfName()));
    }
    Operand<TFloat32> empty = tf.constant(new float[0]);
    FusedBatchNorm<TFloat32, TFloat32> normalized =
        tf.nn.fusedBatchNorm(
            inputs, weights.gamma(), weights.beta(), empty, empty, trainingOptions());
    store.addUpdateOp(assignMovingAverage(tf, weights.movingMean(), normalized.batchMean()));
    store.addUpdateOp(
        assignMovingAverage(tf, weights.movingVariance(), normalized.batchVariance()));
    return normalized.y();
  }

  /** Gets (or creates) the next layer's gamma, beta and moving statistics for {@code channels}. */
  Weights weights(LayerScope scope, int channels) {
    return weightsOf(layer(scope), channels);
  }

  /** The next layer's scope: TF1's automatic {@code batch_normalization_N}. */
  static LayerScope layer(LayerScope scope) {
    return scope.layer(null, "batch_normalization");
  }

  /** Gets (or creates) the weights of the layer in scope {@code layer}. */
  Weights weightsOf(LayerScope layer, int channels) {
    Shape shape = Shape.of(channels);
    return new Weights(
        layer,
        store.get(layer, "gamma", shape, Initializer.ones(), true),
        store.get(layer, "beta", shape, Initializer.zeros(), true),
        store.get(layer, "moving_mean", shape, Initializer.zeros(), false),
        store.get(layer, "moving_variance", shape, Initializer.ones(), false));
  }

  /**
   * The inference-mode factor per channel, {@code gamma * rsqrt(moving_variance + epsilon)}, as
   * TF's fused kernel computes it; {@code [channels]}.
   */
  static Operand<TFloat32> scale(Ops tf, Weights weights) {
    return tf.math.mul(
        weights.gamma(),
        tf.math.rsqrt(tf.math.add(weights.movingVariance(), tf.constant(EPSILON))));
  }

  /** A {@code [channels]} vector shaped to broadcast over this layer's channel axis. */
  private Operand<TFloat32> perChannel(Ops tf, Operand<TFloat32> vector) {
    return layout == Layout.NHWC ? vector : tf.reshape(vector, tf.constant(new long[] {-1, 1, 1}));
  }

  private FusedBatchNorm.Options[] trainingOptions() {
    return new FusedBatchNorm.Options[] {
      FusedBatchNorm.epsilon(EPSILON),
      FusedBatchNorm.isTraining(true),
      FusedBatchNorm.dataFormat(layout.tfName())
    };
  }

  /**
   * TF1 {@code assign_moving_average(variable, value, momentum, zero_debias=False)}; the decay
   * {@code 1 - momentum} is computed in double and rounded once, as Python does.
   */
  private static Op assignMovingAverage(
      Ops tf, Operand<TFloat32> statistic, Operand<TFloat32> value) {
    if (!(statistic instanceof Variable<TFloat32> variable)) {
      throw new IllegalStateException(
          "Training-mode batch normalization needs variable moving statistics; these weights"
              + " are constants (a frozen model is inference-only)");
    }
    Operand<TFloat32> delta =
        tf.math.mul(tf.math.sub(variable, value), tf.constant((float) (1.0 - MOMENTUM)));
    return tf.withName("AssignMovingAvg").assignSub(variable, delta);
  }
}
