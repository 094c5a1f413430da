package io.github.resnetjava.train;

import static io.github.resnetjava.train.TrainingFixtures.BATCH;
import static io.github.resnetjava.train.TrainingFixtures.randomBatch;
import static io.github.resnetjava.train.TrainingFixtures.smallConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resnetjava.model.DataFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Result;
import org.tensorflow.types.TFloat32;

/** Training steps learn: the loss falls, a tiny batch is memorized, and runs repeat exactly. */
class TrainingStepTest {

  @Test
  void oneStepLowersTheLossOnAFixedBatch() {
    try (Trainer trainer = new Trainer(smallConfig().learningRate(0.01).build())) {
      Batch batch = randomBatch(BATCH, 1);
      Trainer.StepResult first = trainer.step(batch);
      // Each step reports the loss of the weights before its update: the second step's loss is
      // the first update's result on the same batch.
      Trainer.StepResult second = trainer.step(batch);
      assertEquals(0, first.step());
      assertEquals(1, second.step());
      assertTrue(
          second.loss() < first.loss(),
          "loss after one step " + second.loss() + " must be below " + first.loss());
    }
  }

  @Test
  void thirtyStepsOverfitEightImagesToFullAccuracy() {
    try (Trainer trainer = new Trainer(smallConfig().learningRate(0.05).build())) {
      Batch batch = randomBatch(BATCH, 2);
      float firstLoss = trainer.step(batch).crossEntropy();
      for (int step = 1; step < 30; step++) {
        trainer.step(batch);
      }
      assertEquals(30, trainer.globalStep());
      try (TrainingFeed feed = new TrainingFeed(trainer.graph(), batch, 0);
          Result result =
              feed.runner(trainer.session())
                  .fetch(trainer.graph().accuracy())
                  .fetch(trainer.graph().loss().crossEntropy())
                  .run()) {
        float accuracy = ((TFloat32) result.get(0)).getFloat();
        float crossEntropy = ((TFloat32) result.get(1)).getFloat();
        assertEquals(1.0f, accuracy, "training-mode accuracy on the 8 memorized images");
        assertTrue(
            crossEntropy < 0.1f * firstLoss,
            "cross-entropy " + crossEntropy + " should be a small fraction of " + firstLoss);
      }
    }
  }

  @Test
  void oneSeedAndOneBatchSequenceGiveTheSameWeightsBitForBit() {
    Map<String, byte[]> first = trainThreeSteps();
    Map<String, byte[]> second = trainThreeSteps();
    assertEquals(first.keySet(), second.keySet());
    first.forEach((name, bytes) -> assertArrayEquals(bytes, second.get(name), name));
  }

  @Test
  void aChannelsFirstModelTrainsLikeItsChannelsLastTwin() {
    float[] last = threeStepLosses(DataFormat.CHANNELS_LAST);
    float[] first = threeStepLosses(DataFormat.CHANNELS_FIRST);
    // Same seed, same initial weights, same NHWC batches: only the kernels' summation order
    // differs, so the losses agree closely step after step.
    assertArrayEquals(last, first, 1e-3f * last[0]);
  }

  private static float[] threeStepLosses(DataFormat format) {
    try (Trainer trainer = new Trainer(smallConfig().dataFormat(format).build())) {
      float[] losses = new float[3];
      for (int step = 0; step < losses.length; step++) {
        losses[step] = trainer.step(randomBatch(BATCH, 60 + step)).loss();
      }
      return losses;
    }
  }

  private static Map<String, byte[]> trainThreeSteps() {
    try (Trainer trainer = new Trainer(smallConfig().build())) {
      for (int step = 0; step < 3; step++) {
        trainer.step(randomBatch(BATCH, 10 + step));
      }
      return TrainingFixtures.variableBytes(trainer.session(), trainer.graph().graph());
    }
  }
}
