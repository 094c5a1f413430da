package io.github.resnetjava.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resnetjava.model.DataFormat;
import io.github.resnetjava.model.ResNetModel;
import io.github.resnetjava.savedmodel.Signatures;
import io.github.resnetjava.testing.ReferenceMath;
import io.github.resnetjava.testing.ServingFixture;
import io.github.resnetjava.testing.TensorData;
import io.github.resnetjava.testing.TestImages;
import java.awt.image.BufferedImage;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

/** The serving inputs and outputs around a model, before any export. */
class ServingGraphTest {
  private static final int C = ServingFixture.CLASSES;
  private static final int SIDE = ServingFixture.RESIZE_DIM;

  private static ServingFixture last;

  @BeforeAll
  static void build() {
    last = ServingFixture.create(DataFormat.CHANNELS_LAST);
  }

  @AfterAll
  static void close() {
    last.close();
  }

  @Test
  void signaturesHaveTheDocumentedKeysNamesTypesAndShapes() {
    List<Signature> signatures = last.serving.signatures();
    assertEquals(Signatures.SERVING_DEFAULT, signatures.get(0).key());
    assertEquals(Signatures.IMAGE_BYTES, signatures.get(1).key());
    for (Signature signature : signatures) {
      assertEquals(Signatures.PREDICT_METHOD_NAME, signature.methodName());
      Map<String, Signature.TensorDescription> outputs = signature.getOutputs();
      assertEquals(
          List.of("classes", "logits", "probabilities"),
          outputs.keySet().stream().sorted().toList());
      assertEquals(DataType.DT_INT64, outputs.get("classes").dataType);
      assertArrayEquals(new long[] {-1}, outputs.get("classes").shape.asArray());
      assertEquals(DataType.DT_FLOAT, outputs.get("probabilities").dataType);
      assertArrayEquals(new long[] {-1, C}, outputs.get("probabilities").shape.asArray());
      assertArrayEquals(new long[] {-1, C}, outputs.get("logits").shape.asArray());
    }
    Signature.TensorDescription input = signatures.get(0).getInputs().get("input");
    assertEquals(DataType.DT_FLOAT, input.dataType);
    assertArrayEquals(new long[] {-1, SIDE, SIDE, 3}, input.shape.asArray());
    assertEquals("input:0", input.name);
    Signature.TensorDescription bytes = signatures.get(1).getInputs().get("image_bytes");
    assertEquals(DataType.DT_STRING, bytes.dataType);
    assertArrayEquals(new long[] {-1}, bytes.shape.asArray());
  }

  @Test
  void probabilitiesAreTheSoftmaxAndClassesTheArgMaxOfTheLogits() {
    int batch = 3;
    float[] images = ServingFixture.images(batch, 11);
    float[] logits = last.runInput(last.serving.logits(), images, batch);
    float[] probabilities = last.runInput(last.serving.probabilities(), images, batch);
    assertArrayEquals(ReferenceMath.softmax(logits, C), probabilities, 1e-6f);
    try (TFloat32 value = TensorData.tensor(Shape.of(batch, SIDE, SIDE, 3), images);
        Result result =
            last.session
                .runner()
                .feed(last.serving.input(), value)
                .fetch(last.serving.classes())
                .run()) {
      assertArrayEquals(ReferenceMath.argMax(logits, C), TensorData.longValues(result.get(0)));
    }
  }

  @Test
  void imageBytesFeedTheModelTheirPreprocessedImages() {
    List<byte[]> files =
        List.of(
            TestImages.encode(TestImages.pattern(53, 37, BufferedImage.TYPE_INT_RGB, 1), "png"),
            TestImages.encode(TestImages.pattern(41, 77, BufferedImage.TYPE_INT_RGB, 2), "jpg"));
    float[] preprocessed = last.runImageBytes(last.serving.preprocessedImages(), files);
    float[] viaBytes = last.runImageBytes(last.serving.logits(), files);
    float[] viaInput = last.runInput(last.serving.logits(), preprocessed, files.size());
    assertArrayEquals(viaInput, viaBytes, 1e-6f * Math.max(1, ReferenceMath.maxAbs(viaInput)));
  }

  @Test
  void channelsFirstServesNhwcInputWithTheLogitsOfAChannelsLastModel() {
    int batch = 2;
    float[] images = ServingFixture.images(batch, 5);
    float[] expected;
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> input =
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(batch, SIDE, SIDE, 3)));
      ResNetModel reference =
          new ResNetModel(
              tf,
              ServingFixture.MIN_ASPECT_DIM,
              SIDE,
              18,
              C,
              DataFormat.CHANNELS_LAST,
              ServingFixture.SEED);
      Operand<TFloat32> logits = reference.modelLayers(input, false);
      try (Session session = new Session(graph);
          TFloat32 value = TensorData.tensor(Shape.of(batch, SIDE, SIDE, 3), images)) {
        expected = TensorData.fetch(session, logits, input, value);
      }
    }
    try (ServingFixture first = ServingFixture.create(DataFormat.CHANNELS_FIRST)) {
      float[] actual = first.runInput(first.serving.logits(), images, batch);
      assertTrue(ReferenceMath.maxAbs(expected) > 0, "logits of random weights are not all zero");
      assertArrayEquals(expected, actual, 1e-4f * Math.max(1, ReferenceMath.maxAbs(expected)));
    }
  }

  @Test
  void noServingNodeIsPinnedToADevice() {
    for (Iterator<GraphOperation> it = last.graph.operations(); it.hasNext(); ) {
      GraphOperation op = it.next();
      assertEquals("", op.device(), op.name());
    }
  }

  @Test
  void aGraphHoldsOneServingGraph() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ServingGraph.build(last.model));
    assertTrue(e.getMessage().contains("one ServingGraph per graph"), e.getMessage());
  }
}
