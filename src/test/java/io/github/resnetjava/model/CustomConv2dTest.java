package io.github.resnetjava.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resnetjava.testing.ReferenceOps;
import io.github.resnetjava.testing.ReferenceOps.Conv2dSpec;
import io.github.resnetjava.testing.ReferenceOps.Nhwc;
import io.github.resnetjava.testing.TensorData;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Python custom_conv2d against a plain-Java convolution: strided convolutions pad like
 * custom_padding then use 'valid', unstrided ones use TF 'same'.
 */
class CustomConv2dTest {
  private static final int N = 2, CIN = 2, FILTERS = 3;

  /** A graph holding one customConv2d of fixed random NHWC input; exposes kernel, bias, output. */
  private static final class OneConv implements AutoCloseable {
    final Graph graph = new Graph();
    final Ops tf = Ops.create(graph);
    final ResNetModel model;
    final Operand<TFloat32> output;
    final Variable<TFloat32> kernel;
    final Variable<TFloat32> bias;
    final float[] inputNhwc;

    OneConv(DataFormat format, int side, int kernelSize, int strides) {
      model = new ResNetModel(tf, side, side, 18, 2, format, 3L);
      inputNhwc = TensorData.randomValues(N * side * side * CIN, side * 31 + kernelSize);
      boolean first = format == DataFormat.CHANNELS_FIRST;
      Shape shape = first ? Shape.of(N, CIN, side, side) : Shape.of(N, side, side, CIN);
      Operand<TFloat32> input =
          TensorData.constant(
              tf, shape, first ? TensorData.nhwcToNchw(inputNhwc, N, side, side, CIN) : inputNhwc);
      output = model.customConv2d(input, FILTERS, kernelSize, strides, null);
      kernel = model.variables().get("conv2d/kernel");
      bias = model.variables().get("conv2d/bias");
    }

    @Override
    public void close() {
      graph.close();
    }
  }

  @ParameterizedTest
  @EnumSource(DataFormat.class)
  void strideTwoEqualsExplicitCustomPaddingThenValid(DataFormat format) {
    int side = 8, k = 3;
    try (OneConv conv = new OneConv(format, side, k, 2);
        Session session = new Session(conv.graph)) {
      float[] kernel = TensorData.fetch(session, conv.kernel);
      float[] bias = TensorData.fetch(session, conv.bias);
      // custom_padding for k=3 pads 1 before and 1 after: 8 + 2 = 10, valid 3x3/2 -> 4.
      float[] expected =
          ReferenceOps.conv2d(
              conv.inputNhwc,
              new Nhwc(N, side, side, CIN),
              kernel,
              bias,
              new Conv2dSpec(k, FILTERS, 2, 1, 4));
      float[] actual = TensorData.fetch(session, conv.output);
      if (format == DataFormat.CHANNELS_FIRST) {
        expected = TensorData.nhwcToNchw(expected, N, 4, 4, FILTERS);
      }
      assertArrayEquals(expected, actual, 1e-5f);
    }
  }

  @Test
  void strideTwoDiffersFromTfSamePaddingOnEvenInputSizes() {
    int side = 8, k = 3;
    try (OneConv conv = new OneConv(DataFormat.CHANNELS_LAST, side, k, 2);
        Session session = new Session(conv.graph)) {
      Ops tf = conv.tf;
      Operand<TFloat32> input =
          TensorData.constant(tf, Shape.of(N, side, side, CIN), conv.inputNhwc);
      Operand<TFloat32> same =
          tf.nn.biasAdd(
              tf.nn.conv2d(input, conv.kernel, List.of(1L, 2L, 2L, 1L), "SAME"), conv.bias);
      float[] kernel = TensorData.fetch(session, conv.kernel);
      float[] bias = TensorData.fetch(session, conv.bias);
      float[] tfSame = TensorData.fetch(session, same);
      // TF 'SAME' for in=8, k=3, s=2: out 4, pad_total = (4-1)*2 + 3 - 8 = 1 -> 0 before, 1 after.
      assertArrayEquals(
          ReferenceOps.conv2d(
              conv.inputNhwc,
              new Nhwc(N, side, side, CIN),
              kernel,
              bias,
              new Conv2dSpec(k, FILTERS, 2, 0, 4)),
          tfSame,
          1e-5f);
      float[] custom = TensorData.fetch(session, conv.output);
      assertEquals(custom.length, tfSame.length);
      double maxDifference = 0;
      for (int i = 0; i < custom.length; i++) {
        maxDifference = Math.max(maxDifference, Math.abs(custom[i] - tfSame[i]));
      }
      assertTrue(maxDifference > 1e-2, "custom padding shifts the window by one pixel");
    }
  }

  @ParameterizedTest(name = "k={0}")
  @ValueSource(ints = {1, 3, 4})
  void strideOneEqualsTfSamePadding(int k) {
    int side = 5;
    for (DataFormat format : DataFormat.values()) {
      try (OneConv conv = new OneConv(format, side, k, 1);
          Session session = new Session(conv.graph)) {
        float[] kernel = TensorData.fetch(session, conv.kernel);
        float[] bias = TensorData.fetch(session, conv.bias);
        // TF 'SAME' at stride 1: pad_total = k - 1, (k - 1) // 2 before.
        float[] expected =
            ReferenceOps.conv2d(
                conv.inputNhwc,
                new Nhwc(N, side, side, CIN),
                kernel,
                bias,
                new Conv2dSpec(k, FILTERS, 1, (k - 1) / 2, side));
        if (format == DataFormat.CHANNELS_FIRST) {
          expected = TensorData.nhwcToNchw(expected, N, side, side, FILTERS);
        }
        assertArrayEquals(expected, TensorData.fetch(session, conv.output), 1e-5f, format.name());
      }
    }
  }

  @ParameterizedTest(name = "k={0}")
  @ValueSource(ints = {1, 3, 7})
  void kernelIsGlorotUniformAndBiasIsZero(int k) {
    try (OneConv conv = new OneConv(DataFormat.CHANNELS_LAST, 9, k, 2);
        Session session = new Session(conv.graph)) {
      assertEquals(Shape.of(k, k, CIN, FILTERS), conv.kernel.shape());
      assertEquals(Shape.of(FILTERS), conv.bias.shape());
      // tf.glorot_uniform_initializer: limit = sqrt(6 / (k*k*in + k*k*out)).
      double limit = Math.sqrt(6.0 / (k * k * CIN + k * k * FILTERS));
      float[] kernel = TensorData.fetch(session, conv.kernel);
      double maxAbs = 0;
      for (float v : kernel) {
        assertTrue(Math.abs(v) <= limit, v + " outside [-" + limit + ", " + limit + "]");
        maxAbs = Math.max(maxAbs, Math.abs(v));
      }
      assertTrue(maxAbs > limit / 4, "values spread over the range, not collapsed near zero");
      assertArrayEquals(new float[FILTERS], TensorData.fetch(session, conv.bias), 0f);
    }
  }

  @Test
  void unnamedLayersAreNumberedAsTf1DoesAndNamedOnesKeepTheirName() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ResNetModel model = new ResNetModel(tf, 8, 8, 18, 2);
      Operand<TFloat32> x = tf.zeros(tf.constant(new long[] {1, 8, 8, 3}), TFloat32.class);
      model.customConv2d(x, 4, 3, 1, null);
      model.customConv2d(x, 4, 3, 2, null);
      model.customConv2d(x, 4, 1, 1, "mine");
      assertEquals(
          List.of(
              "conv2d/kernel",
              "conv2d/bias",
              "conv2d_1/kernel",
              "conv2d_1/bias",
              "mine/kernel",
              "mine/bias"),
          List.copyOf(model.variables().keySet()));
      assertEquals("conv2d_1/kernel", model.variables().get("conv2d_1/kernel").op().name());
    }
  }
}
