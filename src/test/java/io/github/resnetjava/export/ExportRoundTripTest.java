package io.github.resnetjava.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.resnetjava.model.DataFormat;
import io.github.resnetjava.savedmodel.Signatures;
import io.github.resnetjava.testing.ReferenceMath;
import io.github.resnetjava.testing.ServingFixture;
import io.github.resnetjava.testing.TensorData;
import io.github.resnetjava.testing.TestImages;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/** Export, reload in a fresh SavedModelBundle, and compare with the session that built it. */
class ExportRoundTripTest {
  private static final int C = ServingFixture.CLASSES;
  private static final int SIDE = ServingFixture.RESIZE_DIM;

  @TempDir Path modelsDir;

  @ParameterizedTest
  @EnumSource(DataFormat.class)
  void bothSignaturesOfTheLoadedModelReproduceTheBuildingSession(DataFormat format) {
    int batch = 3;
    float[] images = ServingFixture.images(batch, 17);
    List<byte[]> files =
        List.of(
            TestImages.encode(TestImages.pattern(53, 37, BufferedImage.TYPE_INT_RGB, 1), "png"),
            TestImages.encode(TestImages.pattern(40, 99, BufferedImage.TYPE_INT_RGB, 2), "jpg"));
    float[] logits;
    float[] probabilities;
    float[] bytesLogits;
    float[] bytesProbabilities;
    Path exported;
    try (ServingFixture fixture = ServingFixture.create(format)) {
      // Moving statistics and a bias no initializer produces, so only restored values match.
      fixture.setLogitsBias(new float[] {0.5f, -1f, 2f, 0f, 1.5f, -0.25f, 3f});
      logits = fixture.runInput(fixture.serving.logits(), images, batch);
      probabilities = fixture.runInput(fixture.serving.probabilities(), images, batch);
      bytesLogits = fixture.runImageBytes(fixture.serving.logits(), files);
      bytesProbabilities = fixture.runImageBytes(fixture.serving.probabilities(), files);
      exported =
          SavedModelExporter.into(modelsDir, "resnet").export(fixture.session, fixture.serving, 1);
    }
    assertEquals(modelsDir.resolve("resnet").resolve("1"), exported);

    try (SavedModelBundle bundle =
            SavedModelBundle.load(exported.toString(), Signatures.TAG_SERVE);
        TFloat32 imageTensor = TensorData.tensor(Shape.of(batch, SIDE, SIDE, 3), images);
        TString bytesTensor =
            TString.tensorOfBytes(NdArrays.vectorOfObjects(files.toArray(new byte[0][])))) {
      assertArrayEquals(
          logits, run(bundle, Signatures.SERVING_DEFAULT, Signatures.LOGITS, imageTensor), 1e-5f);
      assertArrayEquals(
          probabilities,
          run(bundle, Signatures.SERVING_DEFAULT, Signatures.PROBABILITIES, imageTensor),
          1e-5f);
      assertArrayEquals(
          bytesLogits, run(bundle, Signatures.IMAGE_BYTES, Signatures.LOGITS, bytesTensor), 1e-5f);
      assertArrayEquals(
          bytesProbabilities,
          run(bundle, Signatures.IMAGE_BYTES, Signatures.PROBABILITIES, bytesTensor),
          1e-5f);
      assertEquals(C * batch, logits.length);
      assertArrayEquals(ReferenceMath.softmax(logits, C), probabilities, 1e-6f);
    }
  }

  private static float[] run(SavedModelBundle bundle, String key, String output, Tensor feed) {
    Signature signature = bundle.function(key).signature();
    String input = signature.getInputs().values().iterator().next().name;
    try (Result result =
        bundle
            .session()
            .runner()
            .feed(input, feed)
            .fetch(signature.getOutputs().get(output).name)
            .run()) {
      return TensorData.values(result.get(0));
    }
  }
}
