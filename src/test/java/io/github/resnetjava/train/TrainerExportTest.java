package io.github.resnetjava.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.resnetjava.export.SavedModelExporter;
import io.github.resnetjava.savedmodel.Signatures;
import io.github.resnetjava.testing.TensorData;
import io.github.resnetjava.testing.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/** What the trainer exports is what it trained: same logits, labels, no training state. */
class TrainerExportTest {
  private static final int IMAGES = 12;

  @TempDir Path models;

  @Test
  void theExportedModelComputesTheTrainersInferenceLogits() throws IOException {
    DatasetSplit data = SyntheticShapesDataset.splits(4, TrainingFixtures.SIDE, 40, IMAGES, 5);
    int[] indices = new int[IMAGES];
    for (int i = 0; i < IMAGES; i++) {
      indices[i] = i;
    }
    Batch validation = Batch.read(data.validation(), indices);
    float[] trained;
    Path exported;
    try (Trainer trainer = new Trainer(TrainingFixtures.smallConfig().steps(5).build())) {
      BatchSource batches = new BatchSource(data.train(), TrainingFixtures.BATCH, 5, null);
      for (int step = 0; step < 5; step++) {
        trainer.step(batches.batch(step));
      }
      try (TFloat32 images = TrainingFeed.imagesTensor(validation);
          Result result =
              trainer
                  .session()
                  .runner()
                  .feed(trainer.graph().evalImages(), images)
                  .fetch(trainer.graph().evalLogits())
                  .run()) {
        trained = TensorData.values(result.get(0));
      }
      exported =
          trainer.export(
              SavedModelExporter.into(models, "shapes").withLabels(data.train().classNames()), 1);
    }
    assertEquals(models.resolve("shapes").resolve("1"), exported);
    assertEquals(
        data.train().classNames(),
        Files.readAllLines(exported.resolve(Signatures.LABELS_FILE), StandardCharsets.UTF_8));

    try (SavedModelBundle bundle =
        SavedModelBundle.load(exported.toString(), Signatures.TAG_SERVE)) {
      assertNull(bundle.graph().operation(TrainingGraph.GLOBAL_STEP), "no training state");
      assertNull(bundle.graph().operation("optimizer/logits/kernel/Momentum"), "no optimizer");
      try (TFloat32 images = TrainingFeed.imagesTensor(validation);
          Result result =
              bundle.function(Signatures.SERVING_DEFAULT).call(Map.of(Signatures.INPUT, images))) {
        assertArrayEquals(
            trained, TensorData.values(result.get(Signatures.LOGITS).orElseThrow()), 1e-4f);
      }
      // The synthetic images as PNG files through the image_bytes signature: the dataset's
      // scaling is the export's preprocessing.
      byte[][] files = new byte[IMAGES][];
      SyntheticShapesDataset dataset = (SyntheticShapesDataset) data.validation();
      for (int i = 0; i < IMAGES; i++) {
        files[i] = TestImages.encode(dataset.image(i), "png");
      }
      try (TString bytes = TString.tensorOfBytes(NdArrays.vectorOfObjects(files));
          Result result =
              bundle
                  .function(Signatures.IMAGE_BYTES)
                  .call(Map.of(Signatures.IMAGE_BYTES_INPUT, bytes))) {
        assertArrayEquals(
            trained, TensorData.values(result.get(Signatures.LOGITS).orElseThrow()), 1e-4f);
      }
    }
  }
}
