package io.github.resnetjava.train;

import java.util.SplittableRandom;

/**
 * The training batches as a pure function of the global step: the examples of step {@code s} are
 * positions {@code [s * batchSize, (s + 1) * batchSize)} of an endless sequence of epochs, each
 * epoch a fresh seeded shuffle of the dataset (TF's {@code dataset.shuffle(...).repeat()} with a
 * seed, minus its buffer approximation), and each image is augmented with a generator seeded by the
 * step. A run resumed at step {@code s} therefore sees exactly the batches an uninterrupted run
 * would have seen.
 *
 * <p>Not thread-safe (it caches the current epoch's order); one prefetch thread uses it.
 */
public final class BatchSource {
  private final ImageDataset dataset;
  private final int batchSize;
  private final long seed;
  private final Augmenter augmenter;
  private long cachedEpoch = -1;
  private int[] cachedOrder;

  /**
   * @param dataset the training images
   * @param batchSize images per batch
   * @param seed the run seed
   * @param augmenter applied to every image, or {@code null} for none
   */
  public BatchSource(ImageDataset dataset, int batchSize, long seed, Augmenter augmenter) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1; got " + batchSize);
    }
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.seed = seed;
    this.augmenter = augmenter;
  }

  /** The batch of global step {@code step}. */
  public Batch batch(long step) {
    int[] indices = indices(step);
    Batch batch = Batch.read(dataset, indices);
    if (augmenter != null) {
      SplittableRandom random = new SplittableRandom(Seeds.derive(seed, Seeds.AUGMENT, step));
      for (int i = 0; i < indices.length; i++) {
        augmenter.augment(batch.imagesNhwc(), i, random);
      }
    }
    return batch;
  }

  /** The dataset indices of step {@code step}'s batch. */
  public int[] indices(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0; got " + step);
    }
    long size = dataset.size();
    int[] indices = new int[batchSize];
    long position = step * batchSize;
    for (int i = 0; i < batchSize; i++, position++) {
      indices[i] = epochOrder(position / size)[(int) (position % size)];
    }
    return indices;
  }

  /** A Fisher-Yates shuffle of {@code [0, size)} seeded by the epoch. */
  private int[] epochOrder(long epoch) {
    if (epoch != cachedEpoch) {
      int[] order = new int[dataset.size()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      SplittableRandom random = new SplittableRandom(Seeds.derive(seed, Seeds.SHUFFLE, epoch));
      for (int i = order.length - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int swap = order[i];
        order[i] = order[j];
        order[j] = swap;
      }
      cachedOrder = order;
      cachedEpoch = epoch;
    }
    return cachedOrder;
  }
}
