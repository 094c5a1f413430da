package io.github.resnetjava.layers;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * An inference-mode convolution followed directly by a batch normalization, computed as one
 * convolution: the standard batch-norm folding of deployment toolchains. With
 * {@code s = gamma / sqrt(moving_variance + epsilon)} per output channel,
 * {@code bn(conv(x, W) + b) = conv(x, W * s) + (b - moving_mean) * s + beta}.
 *
 * <p>The layer creates and names exactly the weights the unfused pair would ({@code conv2d_N/*}
 * then {@code batch_normalization_M/*}), so checkpoints and frozen values map unchanged. On
 * constant weights grappler evaluates the folded kernel and bias once, and the runtime sees
 * {@code Conv2D + BiasAdd}, which it fuses with the following {@code Relu}.
 */
public final class FoldedConvBatchNormLayer {
  private final Conv2dLayer conv2d;
  private final BatchNormalizationLayer batchNormalization;

  /** Folds layers made by these two factories (which must share a weight store and layout). */
  public FoldedConvBatchNormLayer(Conv2dLayer conv2d, BatchNormalizationLayer batchNormalization) {
    this.conv2d = conv2d;
    this.batchNormalization = batchNormalization;
  }

  /**
   * Builds {@code batch_normalization(conv2d(inputs), training=False)} as one convolution.
   *
   * @param scope the enclosing variable scope
   * @param inputs 4-D batch in the layers' layout
   * @param filters output channels
   * @param kernelSize square kernel side
   * @param strides the same stride on both spatial axes
   * @param padding TF padding algorithm
   * @return the normalized convolution, before any activation
   */
  public Operand<TFloat32> apply(
      LayerScope scope, Operand<TFloat32> inputs, int filters, int kernelSize, int strides,
      Padding padding) {
    Conv2dLayer.Weights conv = conv2d.weights(scope, null, inputs, filters, kernelSize, strides);
    BatchNormalizationLayer.Weights bn = batchNormalization.weights(scope, filters);
    Ops tf = conv.layer().ops().withSubScope("folded_batch_normalization");
    Operand<TFloat32> scale = BatchNormalizationLayer.scale(tf, bn);
    Operand<TFloat32> kernel = tf.math.mul(conv.kernel(), scale);
    Operand<TFloat32> bias =
        tf.math.add(tf.math.mul(tf.math.sub(conv.bias(), bn.movingMean()), scale), bn.beta());
    return conv2d.convolve(conv.layer().ops(), inputs, kernel, bias, strides, padding);
  }
}
