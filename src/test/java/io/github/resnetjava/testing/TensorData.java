package io.github.resnetjava.testing;

import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Moves float data between plain Java arrays and TF tensors for tests, by bulk copy. */
public final class TensorData {
  private TensorData() {}

  /** A tensor of {@code shape} holding {@code values} in row-major order. */
  public static TFloat32 tensor(Shape shape, float[] values) {
    return TFloat32.tensorOf(shape, DataBuffers.of(values));
  }

  /** A graph constant of {@code shape} holding {@code values} in row-major order. */
  public static Operand<TFloat32> constant(Ops tf, Shape shape, float[] values) {
    return tf.constant(shape, DataBuffers.of(values));
  }

  /** Row-major copy of a float tensor's contents. */
  public static float[] values(Tensor tensor) {
    TFloat32 floats = (TFloat32) tensor;
    float[] out = new float[Math.toIntExact(floats.shape().size())];
    floats.copyTo(DataBuffers.of(out));
    return out;
  }

  /** Runs {@code session} once and returns the row-major values of {@code fetch}. */
  public static float[] fetch(Session session, Operand<TFloat32> fetch) {
    try (var result = session.runner().fetch(fetch).run()) {
      return values(result.get(0));
    }
  }

  /**
   * Runs {@code session} feeding {@code feed} with {@code value}; returns {@code fetch}'s values.
   */
  public static float[] fetch(
      Session session, Operand<TFloat32> fetch, Operand<TFloat32> feed, TFloat32 value) {
    try (var result = session.runner().feed(feed, value).fetch(fetch).run()) {
      return values(result.get(0));
    }
  }

  /** Row-major copy of an int64 tensor's contents. */
  public static long[] longValues(Tensor tensor) {
    org.tensorflow.types.TInt64 longs = (org.tensorflow.types.TInt64) tensor;
    long[] out = new long[Math.toIntExact(longs.shape().size())];
    longs.copyTo(DataBuffers.of(out));
    return out;
  }

  /** Deterministic pseudo-random values in {@code [-1, 1)} (a fixed LCG, no TF involved). */
  public static float[] randomValues(int count, long seed) {
    float[] values = new float[count];
    java.util.Random random = new java.util.Random(seed);
    for (int i = 0; i < count; i++) {
      values[i] = random.nextFloat() * 2 - 1;
    }
    return values;
  }

  /** Transposes a row-major NHWC array of {@code [n, h, w, c]} into NCHW. */
  public static float[] nhwcToNchw(float[] nhwc, int n, int h, int w, int c) {
    float[] out = new float[nhwc.length];
    for (int b = 0; b < n; b++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          for (int ch = 0; ch < c; ch++) {
            out[((b * c + ch) * h + y) * w + x] = nhwc[((b * h + y) * w + x) * c + ch];
          }
        }
      }
    }
    return out;
  }

  /** Transposes a row-major NCHW array of {@code [n, c, h, w]} into NHWC. */
  public static float[] nchwToNhwc(float[] nchw, int n, int h, int w, int c) {
    float[] out = new float[nchw.length];
    for (int b = 0; b < n; b++) {
      for (int ch = 0; ch < c; ch++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            out[((b * h + y) * w + x) * c + ch] = nchw[((b * c + ch) * h + y) * w + x];
          }
        }
      }
    }
    return out;
  }
}
