package io.github.resnetjava.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resnetjava.export.SavedModelExporter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose loss turns NaN stops at that step, keeps the finite checkpoints written before it,
 * and never checkpoints or exports the diverged weights.
 */
class DivergenceTest {
  /** Far beyond any stable rate for momentum SGD on this model: the weights overflow in steps. */
  private static final double DIVERGING_RATE = 1e4;

  @TempDir Path dir;

  private static final TrainingConfig CONFIG =
      TrainingFixtures.smallConfig().steps(12).warmupSteps(4).learningRate(DIVERGING_RATE).build();

  @Test
  void aNonFiniteLossStopsTheRunAndKeepsTheFiniteCheckpointsBeforeIt() throws IOException {
    // No checkpoint before the end: the first sign of divergence is a non-finite loss.
    TrainingDivergedException e = divergeAndCheck(100);
    assertTrue(e.getMessage().contains("the loss is "), e.getMessage());
    assertTrue(e.lastGoodCheckpoint().isEmpty());
    assertTrue(
        new CheckpointManager(dir.resolve("run"), 3).checkpoints().isEmpty(),
        "the diverged weights were not checkpointed at the end");
  }

  @Test
  void weightsMadeNonFiniteByAnUpdateAreNeverCheckpointed() throws IOException {
    // Checkpoints every step: the step whose update overflowed would be checkpointed before any
    // loss computed from its result is seen.
    TrainingDivergedException e = divergeAndCheck(1);
    assertTrue(e.getMessage().contains("NaN or infinite weights"), e.getMessage());
    List<Path> kept = new CheckpointManager(dir.resolve("run"), 3).checkpoints();
    assertFalse(kept.isEmpty(), "it diverged after the first checkpoints: " + e.getMessage());
    Path newest = kept.get(kept.size() - 1);
    assertEquals(e.lastGoodCheckpoint().orElseThrow(), newest);
    for (Path checkpoint : kept) {
      assertTrue(CheckpointManager.stepOf(checkpoint) <= e.step(), checkpoint.toString());
    }
    try (Trainer restored = new Trainer(CONFIG)) {
      restored.restore(newest);
      assertTrue(restored.variablesFinite(), newest + " holds non-finite weights");
    }
  }

  private TrainingDivergedException divergeAndCheck(int checkpointEvery) throws IOException {
    DatasetSplit data = SyntheticShapesDataset.splits(4, TrainingFixtures.SIDE, 32, 4, 8);
    TrainingConfig config = CONFIG;
    Path run = dir.resolve("run");
    try (Trainer trainer = new Trainer(config)) {
      TrainingDivergedException e =
          assertThrows(
              TrainingDivergedException.class,
              () ->
                  new TrainingRun(
                          trainer,
                          data,
                          new TrainingRun.Options(run, checkpointEvery, 3, 100, false, false),
                          new PrintWriter(new StringWriter()))
                      .run());
      assertTrue(e.step() < config.steps(), "stopped early: " + e.getMessage());
      assertEquals(config.schedule().learningRate(e.step()), e.learningRate(), 0.0);
      assertTrue(e.getMessage().contains("step " + e.step()), e.getMessage());
      assertTrue(e.getMessage().contains("--lr"), e.getMessage());

      assertFalse(trainer.variablesFinite(), "the diverged step's update made the weights NaN");
      Files.createDirectories(dir.resolve("models"));
      IllegalStateException refused =
          assertThrows(
              IllegalStateException.class,
              () -> trainer.export(SavedModelExporter.into(dir.resolve("models"), "m"), 1));
      assertTrue(refused.getMessage().contains("not exporting"), refused.getMessage());
      assertFalse(Files.exists(dir.resolve("models/m/1")));
      return e;
    }
  }
}
