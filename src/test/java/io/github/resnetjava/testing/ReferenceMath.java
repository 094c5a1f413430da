package io.github.resnetjava.testing;

/** Plain-Java softmax, arg max and ranking, to check a model's outputs against its logits. */
public final class ReferenceMath {
  private ReferenceMath() {}

  /** Row-wise softmax of {@code [rows, cols]}, in double. */
  public static float[] softmax(float[] logits, int cols) {
    float[] out = new float[logits.length];
    for (int row = 0; row < logits.length / cols; row++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < cols; c++) {
        max = Math.max(max, logits[row * cols + c]);
      }
      double sum = 0;
      for (int c = 0; c < cols; c++) {
        sum += Math.exp(logits[row * cols + c] - max);
      }
      for (int c = 0; c < cols; c++) {
        out[row * cols + c] = (float) (Math.exp(logits[row * cols + c] - max) / sum);
      }
    }
    return out;
  }

  /** Row-wise index of the largest value of {@code [rows, cols]}, first one among ties. */
  public static long[] argMax(float[] values, int cols) {
    long[] out = new long[values.length / cols];
    for (int row = 0; row < out.length; row++) {
      int best = 0;
      for (int c = 1; c < cols; c++) {
        if (values[row * cols + c] > values[row * cols + best]) {
          best = c;
        }
      }
      out[row] = best;
    }
    return out;
  }

  /** Largest absolute value. */
  public static float maxAbs(float[] values) {
    float max = 0;
    for (float v : values) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }
}
