package io.github.resnetjava.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resnetjava.testing.ReferenceMath;
import io.github.resnetjava.testing.TensorData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Whole-model forward passes: shapes, endpoints, and channels_first == channels_last. */
class ForwardPassTest {
  private static final int BATCH = 2;
  private static final int SIDE = 64;
  private static final int CLASSES = 10;
  private static final long SEED = 42;

  /** Logits of one inference forward pass on NHWC {@code images}, built in {@code format}. */
  private static float[] inferenceLogits(int depth, DataFormat format, float[] imagesNhwc) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      boolean first = format == DataFormat.CHANNELS_FIRST;
      Shape shape = first ? Shape.of(BATCH, 3, SIDE, SIDE) : Shape.of(BATCH, SIDE, SIDE, 3);
      float[] images = first ? TensorData.nhwcToNchw(imagesNhwc, BATCH, SIDE, SIDE, 3) : imagesNhwc;
      Placeholder<TFloat32> input = tf.placeholder(TFloat32.class, Placeholder.shape(shape));
      ResNetModel model = new ResNetModel(tf, SIDE, SIDE, depth, CLASSES, format, SEED);
      Operand<TFloat32> logits = model.modelLayers(input, false);
      assertEquals(Shape.of(BATCH, CLASSES), logits.shape());
      Operand<TFloat32> blockLayer3 = model.endpoints().get(ResNetModel.blockLayerName(3));
      int finalChannels = (model.bottleneck() ? 4 : 1) * 512;
      // 64 -> conv_initial /2 -> pool /2 -> block layers /1 /2 /2 /2 = 2
      assertEquals(
          first ? Shape.of(BATCH, finalChannels, 2, 2) : Shape.of(BATCH, 2, 2, finalChannels),
          blockLayer3.shape());
      assertEquals("block_layer3/output", blockLayer3.op().name());
      try (Session session = new Session(graph);
          TFloat32 value = TensorData.tensor(shape, images)) {
        return TensorData.fetch(session, logits, input, value);
      }
    }
  }

  @ParameterizedTest(name = "ResNet-{0}")
  @ValueSource(ints = {18, 50})
  void channelsFirstGivesTheSameLogitsAsChannelsLastOnTheSameWeights(int depth) {
    float[] images = TensorData.randomValues(BATCH * SIDE * SIDE * 3, 7);
    float[] last = inferenceLogits(depth, DataFormat.CHANNELS_LAST, images);
    float[] first = inferenceLogits(depth, DataFormat.CHANNELS_FIRST, images);
    assertEquals(BATCH * CLASSES, last.length);
    for (float v : last) {
      assertTrue(Float.isFinite(v), "logits must be finite");
    }
    assertTrue(ReferenceMath.maxAbs(last) > 0, "logits of random weights are not all zero");
    assertArrayEquals(last, first, 1e-4f * Math.max(1f, ReferenceMath.maxAbs(last)));
  }
}
