package io.github.resnetjava.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.resnetjava.testing.ReferenceOps;
import io.github.resnetjava.testing.ReferenceOps.Conv2dSpec;
import io.github.resnetjava.testing.ReferenceOps.Nhwc;
import io.github.resnetjava.testing.TensorData;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Python pre_activation_with_shortcut: identity, or a 1x1 projection of the pre-activation. */
class PreActivationWithShortcutTest {
  private static final int N = 2, SIDE = 6, C = 3;

  @Test
  void identityShortcutIsTheInputItself() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ResNetModel model = new ResNetModel(tf, 8, 8, 18, 2);
      float[] values = TensorData.randomValues(N * SIDE * SIDE * C, 5);
      Operand<TFloat32> input = TensorData.constant(tf, Shape.of(N, SIDE, SIDE, C), values);
      PreActivation result =
          model.preActivationWithShortcut(input, false, ShortcutParams.identity());
      assertSame(input, result.shortcut());
      assertEquals(
          List.of(
              "batch_normalization/gamma",
              "batch_normalization/beta",
              "batch_normalization/moving_mean",
              "batch_normalization/moving_variance"),
          List.copyOf(model.variables().keySet()),
          "no projection variables");
      try (Session session = new Session(graph)) {
        assertArrayEquals(values, TensorData.fetch(session, result.shortcut()), 0f);
      }
    }
  }

  @ParameterizedTest(name = "strides={0}")
  @ValueSource(ints = {1, 2})
  void projectionIsA1x1ConvolutionOfThePreActivatedInputs(int strides) {
    int filters = 5;
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ResNetModel model = new ResNetModel(tf, 8, 8, 18, 2, DataFormat.CHANNELS_LAST, 9L);
      float[] values = TensorData.randomValues(N * SIDE * SIDE * C, 6);
      Operand<TFloat32> input = TensorData.constant(tf, Shape.of(N, SIDE, SIDE, C), values);
      PreActivation result =
          model.preActivationWithShortcut(input, true, new ShortcutParams(filters, strides));
      int out = (SIDE + strides - 1) / strides;
      assertEquals(Shape.of(N, out, out, filters), result.shortcut().shape());
      assertEquals(Shape.of(1, 1, C, filters), model.variables().get("conv2d/kernel").shape());
      try (Session session = new Session(graph)) {
        float[] pre = TensorData.fetch(session, result.preActivatedInputs());
        // Training mode with gamma 1, beta 0: relu((x - mean) / sqrt(var + 1e-3)).
        float[] expectedPre =
            ReferenceOps.batchNormRelu(
                values,
                C,
                ReferenceOps.channelMean(values, C),
                ReferenceOps.channelVariance(values, C, false),
                new float[] {1, 1, 1},
                new float[3],
                1e-3);
        assertArrayEquals(expectedPre, pre, 1e-5f);
        float[] kernel = TensorData.fetch(session, model.variables().get("conv2d/kernel"));
        float[] bias = TensorData.fetch(session, model.variables().get("conv2d/bias"));
        // A 1x1 kernel needs no padding: custom_padding adds 0 before and 0 after.
        float[] expected =
            ReferenceOps.conv2d(
                expectedPre,
                new Nhwc(N, SIDE, SIDE, C),
                kernel,
                bias,
                new Conv2dSpec(1, filters, strides, 0, out));
        assertArrayEquals(expected, TensorData.fetch(session, result.shortcut()), 1e-5f);
      }
    }
  }
}
