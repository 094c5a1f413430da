package io.github.resnetjava.train;

/**
 * Derives independent, reproducible random seeds from the run seed and a position (a split, an
 * epoch, a step, an image index), so every random choice of the data pipeline is a pure function of
 * where it happens: a resumed run sees the same batches as an uninterrupted one.
 */
final class Seeds {
  /** Stream tag of the per-epoch shuffles. */
  static final long SHUFFLE = 1;

  /** Stream tag of the per-step augmentation. */
  static final long AUGMENT = 2;

  /** Stream tag of the synthetic images. */
  static final long SYNTHETIC = 3;

  /** Stream tag of the train/validation split of an image folder. */
  static final long SPLIT = 4;

  private Seeds() {}

  /** A seed for {@code parts} under {@code seed}: SplitMix64's finalizer folded over the parts. */
  static long derive(long seed, long... parts) {
    long state = mix(seed);
    for (long part : parts) {
      state = mix(state ^ mix(part + 0x9E3779B97F4A7C15L));
    }
    return state;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
