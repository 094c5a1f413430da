package io.github.resnetjava.layers;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * An inference-mode convolution followed directly by a batch normalization, computed as one
 * convolution: the standard batch-norm folding of deployment toolchains. With {@code s = gamma /
 * sqrt(moving_variance + epsilon)} per output channel, {@code bn(conv(x, W) + b) = conv(x, W * s) +
 * (b - moving_mean) * s + beta}.
 *
 * <p>The layer takes the names the unfused pair would ({@code conv2d_N} then {@code
 * batch_normalization_M}), so the layers after it keep theirs. On a {@link VariableStore} or {@link
 * FrozenWeights} it creates the pair's own weights and folds them with graph ops (on constants
 * grappler evaluates the folded kernel and bias once); on {@link FedVariables} the folded kernel
 * and bias are weights of their own, computed in Java ({@link FedVariables#foldedConvolution}).
 * Either way the runtime sees {@code Conv2D + BiasAdd}, which it fuses with the following {@code
 * Relu}.
 */
public final class FoldedConvBatchNormLayer {
  private final Conv2dLayer conv2d;
  private final BatchNormalizationLayer batchNormalization;
  private final FedVariables fedVariables;

  /**
   * Folds layers made by these two factories (which must share a weight store and layout) with
   * graph ops.
   */
  public FoldedConvBatchNormLayer(Conv2dLayer conv2d, BatchNormalizationLayer batchNormalization) {
    this(conv2d, batchNormalization, null);
  }

  /**
   * Folds layers made by these two factories; when {@code fedVariables} (their weight store) is not
   * null, takes the folded kernel and bias from it instead of folding in the graph.
   */
  public FoldedConvBatchNormLayer(
      Conv2dLayer conv2d, BatchNormalizationLayer batchNormalization, FedVariables fedVariables) {
    this.conv2d = conv2d;
    this.batchNormalization = batchNormalization;
    this.fedVariables = fedVariables;
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
      LayerScope scope,
      Operand<TFloat32> inputs,
      int filters,
      int kernelSize,
      int strides,
      Padding padding) {
    Shape kernelShape = conv2d.kernelShape(inputs, filters, kernelSize, strides);
    LayerScope convLayer = Conv2dLayer.layer(scope, null);
    LayerScope bnLayer = BatchNormalizationLayer.layer(scope);
    Operand<TFloat32> kernel;
    Operand<TFloat32> bias;
    if (fedVariables != null) {
      FedVariables.FoldedConvolution folded =
          fedVariables.foldedConvolution(convLayer, bnLayer, kernelShape);
      kernel = folded.kernel();
      bias = folded.bias();
    } else {
      Conv2dLayer.Weights conv = conv2d.weightsOf(convLayer, kernelShape);
      BatchNormalizationLayer.Weights bn = batchNormalization.weightsOf(bnLayer, filters);
      Ops tf = convLayer.ops().withSubScope("folded_batch_normalization");
      Operand<TFloat32> scale = BatchNormalizationLayer.scale(tf, bn);
      kernel = tf.math.mul(conv.kernel(), scale);
      bias = tf.math.add(tf.math.mul(tf.math.sub(conv.bias(), bn.movingMean()), scale), bn.beta());
    }
    return conv2d.convolve(convLayer.ops(), inputs, kernel, bias, strides, padding);
  }
}
