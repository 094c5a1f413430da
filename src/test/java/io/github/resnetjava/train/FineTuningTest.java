package io.github.resnetjava.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resnetjava.export.SavedModelExporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.Shape;

/**
 * Fine-tuning a ResNet-18 trained on 10 synthetic classes for 4 classes: what {@code --init-from}
 * restores, what stays fresh, what {@code --freeze-backbone} and {@code --backbone-lr-scale} train,
 * and the error for another architecture.
 */
class FineTuningTest {
  private static final int SOURCE_CLASSES = 10;
  private static final int SOURCE_STEPS = 3;
  private static final String HEAD_KERNEL = "logits/kernel";
  private static final String HEAD_BIAS = "logits/bias";

  /** The final pre-activation's batch norm, the only one outside the blocks' scopes. */
  private static final String FINAL_BATCH_NORM = "batch_normalization/";

  @TempDir static Path directory;

  /** The source model's variables after training, by TF1 name. */
  private static Map<String, float[]> sourceWeights;

  private static Path modelDir;
  private static Path checkpoint;

  @BeforeAll
  static void trainTheSourceModel() throws IOException {
    DatasetSplit data =
        SyntheticShapesDataset.splits(SOURCE_CLASSES, TrainingFixtures.SIDE, 40, SOURCE_CLASSES, 3);
    TrainingConfig config =
        TrainingFixtures.smallConfig()
            .numClasses(SOURCE_CLASSES)
            .steps(SOURCE_STEPS)
            .seed(3)
            .build();
    try (Trainer trainer = new Trainer(config)) {
      BatchSource batches = new BatchSource(data.train(), TrainingFixtures.BATCH, 3, null);
      for (int step = 0; step < SOURCE_STEPS; step++) {
        trainer.step(batches.batch(step));
      }
      sourceWeights = trainer.graph().model().readWeights(trainer.session());
      modelDir = Files.createDirectories(directory.resolve("models")).resolve("shapes10");
      trainer.export(
          SavedModelExporter.into(directory.resolve("models"), "shapes10")
              .withLabels(data.train().classNames()),
          1);
      checkpoint = directory.resolve("ckpt-" + SOURCE_STEPS);
      trainer.save(checkpoint);
    }
  }

  private static TrainingConfig.Builder fourClasses(FineTuning fineTuning) {
    return TrainingFixtures.smallConfig().steps(50).fineTuning(fineTuning);
  }

  @Test
  void aSavedModelInitializesEveryBackboneVariableAndTheNewHeadStartsFresh() {
    Map<String, float[]> fresh;
    try (Trainer scratch = new Trainer(fourClasses(FineTuning.NONE).build())) {
      fresh = scratch.graph().model().readWeights(scratch.session());
    }
    try (Trainer trainer = new Trainer(fourClasses(FineTuning.initFrom(modelDir)).build())) {
      Map<String, float[]> initial = trainer.graph().model().readWeights(trainer.session());
      WeightTransfer.Report report = trainer.initialization().orElseThrow();

      assertEquals(
          List.of(HEAD_KERNEL, HEAD_BIAS),
          report.fresh().stream().map(WeightTransfer.Mismatch::name).toList());
      assertEquals(initial.size() - 2, report.restored().size());
      assertTrue(
          report
              .summary()
              .startsWith(
                  "Initialized "
                      + (initial.size() - 2)
                      + " of "
                      + initial.size()
                      + " variables from SavedModel "
                      + modelDir.resolve("1")),
          report.summary());
      initial.forEach(
          (name, value) -> {
            if (!FineTuning.isHead(name)) {
              assertArrayEquals(sourceWeights.get(name), value, name);
            }
          });
      // The source's moving statistics came along: training moved them from 0 and 1.
      assertFalse(allEqual(initial.get(FINAL_BATCH_NORM + "moving_mean"), 0f));
      // The head: the new class count, the fresh initializer's values (the same config from
      // scratch draws the same), not the source's 10-class head.
      assertEquals(
          Shape.of(512, TrainingFixtures.CLASSES),
          trainer.graph().model().variables().get(HEAD_KERNEL).shape());
      assertEquals(
          Shape.of(TrainingFixtures.CLASSES),
          trainer.graph().model().variables().get(HEAD_BIAS).shape());
      assertArrayEquals(fresh.get(HEAD_KERNEL), initial.get(HEAD_KERNEL));
      assertEquals(0, trainer.globalStep(), "a fine-tuning run starts at step 0");
    }
  }

  @Test
  void aCheckpointPrefixInitializesTheSameWeights() {
    try (Trainer trainer = new Trainer(fourClasses(FineTuning.initFrom(checkpoint)).build())) {
      Map<String, float[]> initial = trainer.graph().model().readWeights(trainer.session());

      assertEquals("checkpoint " + checkpoint, trainer.initialization().orElseThrow().source());
      initial.forEach(
          (name, value) -> {
            if (!FineTuning.isHead(name)) {
              assertArrayEquals(sourceWeights.get(name), value, name);
            }
          });
    }
  }

  @Test
  void aFrozenBackboneStaysBitForBitOver20StepsWhileTheHeadLearns() {
    DatasetSplit data = SyntheticShapesDataset.splits(4, TrainingFixtures.SIDE, 80, 8, 11);
    FineTuning frozen = FineTuning.initFrom(modelDir).withFrozenBackbone(false);
    try (Trainer trainer = new Trainer(fourClasses(frozen).build())) {
      Map<String, float[]> before = trainer.graph().model().readWeights(trainer.session());
      BatchSource batches = new BatchSource(data.train(), TrainingFixtures.BATCH, 11, null);
      for (int step = 0; step < 20; step++) {
        trainer.step(batches.batch(step));
      }
      Map<String, float[]> after = trainer.graph().model().readWeights(trainer.session());

      before.forEach(
          (name, value) -> {
            if (FineTuning.isHead(name)) {
              assertFalse(Arrays.equals(value, after.get(name)), name + " trains");
            } else {
              assertArrayEquals(value, after.get(name), name + " stays frozen");
            }
          });
    }
  }

  @Test
  void trainFinalBatchNormAlsoTrainsTheLastBatchNormsScaleAndOffsetOnly() {
    FineTuning frozen = FineTuning.initFrom(modelDir).withFrozenBackbone(true);
    try (Trainer trainer = new Trainer(fourClasses(frozen).build())) {
      Map<String, float[]> before = trainer.graph().model().readWeights(trainer.session());
      trainer.step(TrainingFixtures.randomBatch(TrainingFixtures.BATCH, 5));
      Map<String, float[]> after = trainer.graph().model().readWeights(trainer.session());

      before.forEach(
          (name, value) -> {
            boolean trained =
                FineTuning.isHead(name)
                    || name.equals(FINAL_BATCH_NORM + "gamma")
                    || name.equals(FINAL_BATCH_NORM + "beta");
            assertEquals(trained, !Arrays.equals(value, after.get(name)), name);
          });
    }
  }

  /**
   * The first momentum step is {@code var -= lr * grad} (the accumulator starts at 0), and both
   * runs start from the same weights with the same batch, so the same gradients: a backbone step at
   * scale 0.1 is a tenth of one at scale 1, the head's the same. Batch-norm moving statistics, not
   * frozen, update in both.
   */
  @Test
  void backboneLearningRateScaleScalesTheBackbonesStepOnly() {
    Batch batch = TrainingFixtures.randomBatch(TrainingFixtures.BATCH, 9);
    Map<String, float[]> initial = null;
    Map<String, float[]> fullStep;
    Map<String, float[]> scaledStep;
    try (Trainer trainer = new Trainer(fourClasses(FineTuning.initFrom(modelDir)).build())) {
      initial = trainer.graph().model().readWeights(trainer.session());
      trainer.step(batch);
      fullStep = trainer.graph().model().readWeights(trainer.session());
    }
    FineTuning scaled = FineTuning.initFrom(modelDir).withBackboneLearningRateScale(0.1);
    try (Trainer trainer = new Trainer(fourClasses(scaled).build())) {
      trainer.step(batch);
      scaledStep = trainer.graph().model().readWeights(trainer.session());
    }

    for (String name : List.of("conv_initial/kernel", FINAL_BATCH_NORM + "gamma", HEAD_KERNEL)) {
      float[] start = initial.get(name);
      float[] full = fullStep.get(name);
      float[] part = scaledStep.get(name);
      double scale = FineTuning.isHead(name) ? 1.0 : 0.1;
      double largest = 0;
      for (int i = 0; i < start.length; i++) {
        largest = Math.max(largest, Math.abs(full[i] - start[i]));
      }
      assertTrue(largest > 0, name + " moved");
      for (int i = 0; i < start.length; i++) {
        assertEquals(
            scale * (full[i] - start[i]), part[i] - start[i], 1e-3 * largest, name + "[" + i + "]");
      }
    }
    String movingMean = "block_layer0/regular_block0/batch_normalization/moving_mean";
    assertFalse(
        Arrays.equals(initial.get(movingMean), scaledStep.get(movingMean)),
        "moving statistics keep updating");
  }

  @Test
  void anotherDepthIsRejectedListingTheFirstMismatches() {
    TrainingConfig resNet34 = fourClasses(FineTuning.initFrom(modelDir)).depth(34).build();

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Trainer(resNet34).close());

    String message = e.getMessage();
    assertTrue(message.startsWith("Cannot initialize a ResNet-34 from SavedModel "), message);
    assertTrue(message.contains("is it another depth?"), message);
    String listed = message.substring(message.indexOf("First: ") + "First: ".length());
    assertEquals(WeightTransfer.MISMATCHES_LISTED, listed.split("; ").length, message);
    assertTrue(listed.contains("(source: [") || listed.contains("(not in the source)"), message);
  }

  @Test
  void anOptimizedExportIsRefusedBecauseItsBatchNormsAreFolded() throws IOException {
    Path optimized;
    try (Trainer trainer =
        new Trainer(
            TrainingFixtures.smallConfig().numClasses(SOURCE_CLASSES).steps(1).seed(3).build())) {
      optimized =
          trainer.export(
              SavedModelExporter.into(directory.resolve("models"), "optimized")
                  .withInferenceOptimization(true),
              1);
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> WeightSource.open(optimized));

    assertTrue(e.getMessage().contains("batch norms folded into its convolutions"), e.getMessage());
    assertTrue(
        e.getMessage().contains("Initialize from a plain export or a checkpoint"), e.getMessage());
  }

  @Test
  void aPathThatIsNoModelNamesTheAcceptedForms() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> WeightSource.open(directory.resolve("nothing-here")));

    assertTrue(e.getMessage().contains("a SavedModel version directory"), e.getMessage());
    assertTrue(e.getMessage().endsWith("does not exist"), e.getMessage());
  }

  private static boolean allEqual(float[] values, float expected) {
    for (float value : values) {
      if (value != expected) {
        return false;
      }
    }
    return true;
  }
}
