package io.github.resnetjava.testing;

/**
 * Plain-Java reference implementations of the TF ops the model uses, written from the ops'
 * definitions, so tests compare the graph against something TF did not compute. All arrays are
 * row-major NHWC.
 */
public final class ReferenceOps {
  private ReferenceOps() {}

  /** Zero padding of both spatial axes of {@code [n, h, w, c]}. */
  public static float[] pad(float[] x, int n, int h, int w, int c, int before, int after) {
    int oh = h + before + after;
    int ow = w + before + after;
    float[] out = new float[n * oh * ow * c];
    for (int b = 0; b < n; b++) {
      for (int y = 0; y < h; y++) {
        for (int xx = 0; xx < w; xx++) {
          for (int ch = 0; ch < c; ch++) {
            out[((b * oh + y + before) * ow + xx + before) * c + ch] =
                x[((b * h + y) * w + xx) * c + ch];
          }
        }
      }
    }
    return out;
  }

  /** The shape {@code [batch, height, width, channels]} of a row-major NHWC array. */
  public record Nhwc(int batch, int height, int width, int channels) {}

  /**
   * A square convolution: a {@code kernelSize x kernelSize} kernel to {@code outChannels} at {@code
   * stride}, with {@code padBefore} zero rows and columns before the image and whatever fits after
   * (TF's rule), giving {@code outSide x outSide} outputs.
   */
  public record Conv2dSpec(
      int kernelSize, int outChannels, int stride, int padBefore, int outSide) {}

  /**
   * Convolution of {@code x}, shaped {@code input}, with kernel {@code [k, k, input.channels,
   * outChannels]} and bias, as {@code conv} describes it.
   *
   * @return {@code [input.batch, outSide, outSide, outChannels]}
   */
  public static float[] conv2d(
      float[] x, Nhwc input, float[] kernel, float[] bias, Conv2dSpec conv) {
    int n = input.batch();
    int h = input.height();
    int w = input.width();
    int cin = input.channels();
    int k = conv.kernelSize();
    int cout = conv.outChannels();
    int side = conv.outSide();
    float[] out = new float[n * side * side * cout];
    for (int b = 0; b < n; b++) {
      for (int oy = 0; oy < side; oy++) {
        for (int ox = 0; ox < side; ox++) {
          for (int co = 0; co < cout; co++) {
            double sum = bias[co];
            for (int ky = 0; ky < k; ky++) {
              for (int kx = 0; kx < k; kx++) {
                int iy = oy * conv.stride() + ky - conv.padBefore();
                int ix = ox * conv.stride() + kx - conv.padBefore();
                if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                  continue;
                }
                for (int ci = 0; ci < cin; ci++) {
                  sum +=
                      x[((b * h + iy) * w + ix) * cin + ci]
                          * kernel[((ky * k + kx) * cin + ci) * cout + co];
                }
              }
            }
            out[((b * side + oy) * side + ox) * cout + co] = (float) sum;
          }
        }
      }
    }
    return out;
  }

  /** Per-channel mean of {@code [count, c]} data (the last axis is the channel). */
  public static double[] channelMean(float[] x, int c) {
    double[] mean = new double[c];
    int count = x.length / c;
    for (int i = 0; i < x.length; i++) {
      mean[i % c] += x[i];
    }
    for (int ch = 0; ch < c; ch++) {
      mean[ch] /= count;
    }
    return mean;
  }

  /** Per-channel variance, biased ({@code / n}) or Bessel-corrected ({@code / (n - 1)}). */
  public static double[] channelVariance(float[] x, int c, boolean besselCorrected) {
    double[] mean = channelMean(x, c);
    double[] var = new double[c];
    int count = x.length / c;
    for (int i = 0; i < x.length; i++) {
      double d = x[i] - mean[i % c];
      var[i % c] += d * d;
    }
    for (int ch = 0; ch < c; ch++) {
      var[ch] /= besselCorrected ? count - 1 : count;
    }
    return var;
  }

  /** {@code relu(gamma * (x - mean) / sqrt(var + eps) + beta)} per channel of {@code [.., c]}. */
  public static float[] batchNormRelu(
      float[] x, int c, double[] mean, double[] var, float[] gamma, float[] beta, double eps) {
    float[] out = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      int ch = i % c;
      double y = gamma[ch] * (x[i] - mean[ch]) / Math.sqrt(var[ch] + eps) + beta[ch];
      out[i] = (float) Math.max(0, y);
    }
    return out;
  }
}
