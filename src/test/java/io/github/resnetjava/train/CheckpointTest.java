package io.github.resnetjava.train;

import static io.github.resnetjava.train.TrainingFixtures.BATCH;
import static io.github.resnetjava.train.TrainingFixtures.randomBatch;
import static io.github.resnetjava.train.TrainingFixtures.smallConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TensorFlow checkpoints of a trainer hold its whole state and restore it exactly. */
class CheckpointTest {
  @TempDir Path dir;

  @Test
  void aCheckpointRoundTripRestoresEveryVariableBitForBit() {
    Path prefix = dir.resolve("ckpt-3");
    Map<String, byte[]> saved;
    try (Trainer trainer = new Trainer(smallConfig().build())) {
      for (int step = 0; step < 3; step++) {
        trainer.step(randomBatch(BATCH, 50 + step));
      }
      trainer.save(prefix);
      saved = TrainingFixtures.variableBytes(trainer.session(), trainer.graph().graph());
    }
    assertTrue(Files.isRegularFile(dir.resolve("ckpt-3.index")));
    assertTrue(Files.isRegularFile(dir.resolve("ckpt-3.data-00000-of-00001")));
    assertTrue(saved.containsKey(TrainingGraph.GLOBAL_STEP));
    assertTrue(saved.containsKey("optimizer/conv_initial/kernel/Momentum"));
    assertTrue(saved.containsKey("block_layer0/regular_block0/batch_normalization/moving_mean"));

    try (Trainer restored = new Trainer(smallConfig().build())) {
      Map<String, byte[]> fresh =
          TrainingFixtures.variableBytes(restored.session(), restored.graph().graph());
      assertFalse(
          Arrays.equals(saved.get("conv_initial/kernel"), fresh.get("conv_initial/kernel")),
          "a fresh trainer starts from other weights, so the restore below is not vacuous");
      restored.restore(prefix);
      Map<String, byte[]> loaded =
          TrainingFixtures.variableBytes(restored.session(), restored.graph().graph());
      assertEquals(saved.keySet(), loaded.keySet());
      saved.forEach((name, bytes) -> assertArrayEquals(bytes, loaded.get(name), name));
      assertEquals(3, restored.globalStep());
    }
  }

  @Test
  void aCheckpointOfAnotherArchitectureIsRejectedWithTheReason() {
    Path prefix = dir.resolve("ckpt-0");
    try (Trainer trainer = new Trainer(smallConfig().numClasses(3).build())) {
      trainer.save(prefix);
    }
    try (Trainer other = new Trainer(smallConfig().build())) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> other.restore(prefix));
      assertTrue(e.getMessage().contains("Cannot restore checkpoint"), e.getMessage());
    }
  }
}
