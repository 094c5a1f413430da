package io.github.resnetjava.layers;

/**
 * Batch-norm folding computed in Java, on weight values: the arithmetic of {@link
 * FoldedConvBatchNormLayer} (and of TensorFlow's {@code fold_batch_norms} graph transform) done
 * once, before the values reach TensorFlow. With {@code s = gamma / sqrt(moving_variance +
 * epsilon)} per output channel, {@code bn(conv(x, W) + b) = conv(x, W * s) + (b - moving_mean) * s
 * + beta}.
 *
 * <p>Arithmetic is float32 except the square root, taken in double and rounded once; results equal
 * the graph ops' within float rounding.
 */
public final class BatchNormFolding {
  private BatchNormFolding() {}

  /**
   * The inference-mode factor per channel, {@code gamma / sqrt(moving_variance + epsilon)}, as
   * {@link BatchNormalizationLayer#scale} computes it in the graph.
   *
   * @param gamma {@code [channels]}
   * @param movingVariance {@code [channels]}
   * @return {@code [channels]}
   */
  public static float[] scale(float[] gamma, float[] movingVariance) {
    requireSameLength("moving_variance", movingVariance, gamma.length);
    float[] scale = new float[gamma.length];
    for (int c = 0; c < scale.length; c++) {
      float variance = movingVariance[c] + BatchNormalizationLayer.EPSILON;
      scale[c] = gamma[c] * (float) (1.0 / Math.sqrt(variance));
    }
    return scale;
  }

  /**
   * The folded kernel {@code W * s} (every output channel's filter scaled by its factor), computed
   * in place on a run of the kernel's values: {@code values[0]} to {@code values[length - 1]} are
   * the kernel's elements {@code first} onwards, so a kernel can be folded a chunk at a time.
   *
   * @param values elements of a {@code [k, k, in, out]} kernel, row-major (TF's HWIO filter
   *     layout), so the output channel is the fastest-varying index
   * @param first the flat index, in the whole kernel, of {@code values[0]}
   * @param scale {@code [out]}, from {@link #scale}
   */
  public static void scaleKernel(float[] values, int length, long first, float[] scale) {
    int channel = (int) (first % scale.length);
    for (int i = 0; i < length; i++) {
      values[i] *= scale[channel];
      if (++channel == scale.length) {
        channel = 0;
      }
    }
  }

  /**
   * Throws unless a kernel of {@code kernelSize} values is a whole number of filters of {@code
   * scale.length} output channels.
   */
  public static void requireWholeFilters(long kernelSize, float[] scale) {
    if (scale.length == 0 || kernelSize % scale.length != 0) {
      throw new IllegalArgumentException(
          "A kernel of "
              + kernelSize
              + " values is not a whole number of filters of "
              + scale.length
              + " output channels: fold a batch norm with the convolution it"
              + " follows");
    }
  }

  /**
   * The folded bias {@code (b - moving_mean) * s + beta}.
   *
   * @param bias the convolution's bias, {@code [out]}
   * @param movingMean {@code [out]}
   * @param scale {@code [out]}, from {@link #scale}
   * @param beta {@code [out]}
   * @return a new {@code [out]} array
   */
  public static float[] bias(float[] bias, float[] movingMean, float[] scale, float[] beta) {
    requireSameLength("moving_mean", movingMean, bias.length);
    requireSameLength("scale", scale, bias.length);
    requireSameLength("beta", beta, bias.length);
    float[] folded = new float[bias.length];
    for (int c = 0; c < folded.length; c++) {
      folded[c] = (bias[c] - movingMean[c]) * scale[c] + beta[c];
    }
    return folded;
  }

  private static void requireSameLength(String name, float[] values, int channels) {
    if (values.length != channels) {
      throw new IllegalArgumentException(
          name
              + " has "
              + values.length
              + " values for "
              + channels
              + " channels: fold a batch"
              + " norm with the convolution it follows");
    }
  }
}
