package io.github.resnetjava.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.resnetjava.train.SyntheticShapesDataset.Split;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Batches are a pure function of the step; each epoch visits every image once. */
class BatchSourceTest {
  private static final int SIZE = 24;
  private static final int BATCH = 6;
  private final ImageDataset dataset = new SyntheticShapesDataset(4, 16, SIZE, Split.TRAIN, 1);

  @Test
  void eachEpochIsAPermutationOfTheDatasetAndEpochsDiffer() {
    BatchSource source = new BatchSource(dataset, BATCH, 9, null);
    int stepsPerEpoch = SIZE / BATCH;
    int[][] epochs = new int[2][SIZE];
    for (int epoch = 0; epoch < 2; epoch++) {
      for (int step = 0; step < stepsPerEpoch; step++) {
        System.arraycopy(
            source.indices((long) epoch * stepsPerEpoch + step),
            0,
            epochs[epoch],
            step * BATCH,
            BATCH);
      }
    }
    int[] all = new int[SIZE];
    Arrays.setAll(all, i -> i);
    for (int[] epoch : epochs) {
      assertArrayEquals(all, Arrays.stream(epoch).sorted().toArray());
    }
    assertFalse(Arrays.equals(epochs[0], epochs[1]), "every epoch is shuffled anew");
  }

  @Test
  void theBatchOfAStepDoesNotDependOnWhatWasReadBefore() {
    Augmenter augmenter = Augmenter.forImageSize(16);
    BatchSource inOrder = new BatchSource(dataset, BATCH, 9, augmenter);
    for (long step = 0; step < 7; step++) {
      inOrder.batch(step);
    }
    Batch sequential = inOrder.batch(7);
    Batch direct = new BatchSource(dataset, BATCH, 9, augmenter).batch(7);
    assertArrayEquals(sequential.labels(), direct.labels());
    assertArrayEquals(sequential.imagesNhwc(), direct.imagesNhwc());
    Batch otherSeed = new BatchSource(dataset, BATCH, 10, augmenter).batch(7);
    assertFalse(Arrays.equals(sequential.imagesNhwc(), otherSeed.imagesNhwc()));
  }

  @Test
  void labelsComeFromTheDataset() {
    BatchSource source = new BatchSource(dataset, BATCH, 3, null);
    int[] indices = source.indices(2);
    Batch batch = source.batch(2);
    for (int i = 0; i < BATCH; i++) {
      assertEquals(dataset.label(indices[i]), batch.labels()[i]);
    }
  }
}
