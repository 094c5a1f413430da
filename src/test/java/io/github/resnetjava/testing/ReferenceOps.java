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
    for (int b = 0; b < n; b++)
      for (int y = 0; y < h; y++)
        for (int xx = 0; xx < w; xx++)
          for (int ch = 0; ch < c; ch++)
            out[((b * oh + y + before) * ow + xx + before) * c + ch] = x[((b * h + y) * w + xx) * c + ch];
    return out;
  }

  /**
   * Convolution over {@code [n, h, w, cin]} with kernel {@code [k, k, cin, cout]} and bias,
   * after padding {@code padTop}/{@code padLeft} before and whatever fits after (TF's rule:
   * output {@code oh} rows given explicitly).
   */
  public static float[] conv2d(
      float[] x, int n, int h, int w, int cin, float[] kernel, float[] bias, int k, int cout,
      int stride, int padTop, int padLeft, int oh, int ow) {
    float[] out = new float[n * oh * ow * cout];
    for (int b = 0; b < n; b++)
      for (int oy = 0; oy < oh; oy++)
        for (int ox = 0; ox < ow; ox++)
          for (int co = 0; co < cout; co++) {
            double sum = bias[co];
            for (int ky = 0; ky < k; ky++)
              for (int kx = 0; kx < k; kx++) {
                int iy = oy * stride + ky - padTop;
                int ix = ox * stride + kx - padLeft;
                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                for (int ci = 0; ci < cin; ci++)
                  sum += x[((b * h + iy) * w + ix) * cin + ci] * kernel[((ky * k + kx) * cin + ci) * cout + co];
              }
            out[((b * oh + oy) * ow + ox) * cout + co] = (float) sum;
          }
    return out;
  }

  /** Per-channel mean of {@code [count, c]} data (the last axis is the channel). */
  public static double[] channelMean(float[] x, int c) {
    double[] mean = new double[c];
    int count = x.length / c;
    for (int i = 0; i < x.length; i++) mean[i % c] += x[i];
    for (int ch = 0; ch < c; ch++) mean[ch] /= count;
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
    for (int ch = 0; ch < c; ch++) var[ch] /= besselCorrected ? count - 1 : count;
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
