package io.github.resnetjava.bench;

import java.util.SplittableRandom;

/** Deterministic inputs for the benchmarks: the values do not change the work TensorFlow does. */
final class BenchImages {
  /** The ResNet-50 input side the benchmarks use. */
  static final int SIDE = 224;

  /** RGB. */
  static final int CHANNELS = 3;

  /** The ImageNet class count of the benchmarked ResNet-50. */
  static final int CLASSES = 1000;

  private BenchImages() {}

  /**
   * {@code [batch, side, side, 3]} NHWC floats in the range of the {@code input} signature (RGB
   * minus channel means, about -124 to 152).
   */
  static float[] preprocessed(int batch, int side) {
    return preprocessed(batch, side, batch);
  }

  /** As {@link #preprocessed(int, int)}, other images for each {@code seed}. */
  static float[] preprocessed(int batch, int side, long seed) {
    float[] values = new float[batch * side * side * CHANNELS];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextDouble() * 255 - 120);
    }
    return values;
  }
}
