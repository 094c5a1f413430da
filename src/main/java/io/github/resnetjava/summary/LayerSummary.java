package io.github.resnetjava.summary;

import org.tensorflow.ndarray.Shape;

/**
 * One row of a model summary.
 *
 * @param name the layer's TF1 scope path, e.g. {@code block_layer0/regular_block0/conv2d_1}
 * @param kind what the layer computes
 * @param outputShape the layer's output in the model's data format, batch size unknown ({@code
 *     -1}): {@code [batch, height, width, channels]} or {@code [batch, channels, height, width]},
 *     or {@code [batch, units]} for a dense layer
 * @param trainableParams elements of the layer's trainable variables (kernels, biases, gamma, beta)
 * @param nonTrainableParams elements of the layer's other variables (batch-norm moving mean and
 *     variance)
 * @param multiplyAdds multiply-accumulate operations per image: {@code out_h * out_w * k_h * k_w *
 *     in * out} for a convolution, {@code in * out} for a dense layer, 0 for every other kind
 */
public record LayerSummary(
    String name,
    LayerKind kind,
    Shape outputShape,
    long trainableParams,
    long nonTrainableParams,
    long multiplyAdds) {

  /** All parameters of the layer, trainable or not. */
  public long params() {
    return trainableParams + nonTrainableParams;
  }
}
