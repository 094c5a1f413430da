package io.github.resnetjava.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed after a checkpoint and resumed from it ends exactly where an uninterrupted run ends:
 * same learning rate at every step, same optimizer state, same weights bit for bit.
 */
class ResumeTest {
  private static final int STEPS = 6;
  private static final int KILLED_AFTER = 3;
  private static final double PEAK = 0.05;

  @TempDir Path dir;

  private static TrainingConfig config() {
    return TrainingFixtures.smallConfig()
        .numClasses(4)
        .steps(STEPS)
        .warmupSteps(2)
        .learningRate(PEAK)
        .build();
  }

  private static DatasetSplit data(int failAtRead) {
    DatasetSplit synthetic = SyntheticShapesDataset.splits(4, TrainingFixtures.SIDE, 40, 8, 3);
    return new DatasetSplit(
        new FailingDataset(synthetic.train(), failAtRead), synthetic.validation());
  }

  @Test
  void aResumedRunContinuesTheScheduleAndOptimizerStateExactly() {
    Map<String, byte[]> uninterrupted;
    try (Trainer trainer = new Trainer(config())) {
      run(trainer, dir.resolve("a"), data(Integer.MAX_VALUE), false);
      uninterrupted = TrainingFixtures.variableBytes(trainer.session(), trainer.graph().graph());
    }

    Path killedRun = dir.resolve("b");
    Map<String, byte[]> atKill;
    try (Trainer trainer = new Trainer(config())) {
      // The batch of step 3 cannot be read: the run dies right after checkpointing step 3.
      assertThrows(
          UncheckedIOException.class, () -> run(trainer, killedRun, data(KILLED_AFTER), false));
      assertEquals(KILLED_AFTER, trainer.globalStep());
      atKill = TrainingFixtures.variableBytes(trainer.session(), trainer.graph().graph());
    }
    Map<String, byte[]> resumed;
    try (Trainer trainer = new Trainer(config())) {
      Path latest = new CheckpointManager(killedRun, 2).latest().orElseThrow();
      assertEquals("ckpt-" + KILLED_AFTER, latest.getFileName().toString());
      trainer.restore(latest);
      Map<String, byte[]> restored =
          TrainingFixtures.variableBytes(trainer.session(), trainer.graph().graph());
      byte[] momentum = restored.get("optimizer/logits/kernel/Momentum");
      assertTrue(anyNonZero(momentum), "momentum after 3 steps is optimizer state worth keeping");
      atKill.forEach((name, bytes) -> assertArrayEquals(bytes, restored.get(name), name));

      run(trainer, killedRun, data(Integer.MAX_VALUE), true);
      resumed = TrainingFixtures.variableBytes(trainer.session(), trainer.graph().graph());
    }
    uninterrupted.forEach((name, bytes) -> assertArrayEquals(bytes, resumed.get(name), name));

    List<MetricsCsv.Row> straight =
        MetricsCsv.read(dir.resolve("a").resolve(TrainingRun.METRICS_CSV));
    List<MetricsCsv.Row> interrupted = MetricsCsv.read(killedRun.resolve(TrainingRun.METRICS_CSV));
    assertEquals(STEPS, straight.size());
    assertEquals(STEPS, interrupted.size(), "one row per step, none repeated by the resume");
    // Warm-up over 2 steps to 0.05, then a cosine over the remaining 4 steps.
    double[] expected = {
      0,
      PEAK / 2,
      PEAK,
      PEAK / 2 * (1 + Math.cos(Math.PI / 4)),
      PEAK / 2,
      PEAK / 2 * (1 + Math.cos(3 * Math.PI / 4))
    };
    for (int step = 0; step < STEPS; step++) {
      assertEquals(step + 1, interrupted.get(step).step());
      assertEquals(expected[step], straight.get(step).learningRate(), 1e-6, "step " + step);
      assertEquals(expected[step], interrupted.get(step).learningRate(), 1e-6, "step " + step);
    }
  }

  private static void run(Trainer trainer, Path runDirectory, DatasetSplit data, boolean resume) {
    TrainingFixtures.runQuietly(
        trainer, data, new TrainingRun.Options(runDirectory, KILLED_AFTER, 2, 100, resume, false));
  }

  private static boolean anyNonZero(byte[] bytes) {
    for (byte b : bytes) {
      if (b != 0) {
        return true;
      }
    }
    return false;
  }

  /** A dataset whose {@code failAt}-th batch read (0-based) fails, like a lost disk. */
  private static final class FailingDataset extends TrainingFixtures.ForwardingDataset {
    private final int failAt;
    private final AtomicInteger reads = new AtomicInteger();

    FailingDataset(ImageDataset delegate, int failAt) {
      super(delegate);
      this.failAt = failAt;
    }

    @Override
    public void readImages(int[] indices, float[] imagesNhwc) {
      if (reads.getAndIncrement() == failAt) {
        throw new UncheckedIOException(new java.io.IOException("disk gone"));
      }
      super.readImages(indices, imagesNhwc);
    }
  }
}
