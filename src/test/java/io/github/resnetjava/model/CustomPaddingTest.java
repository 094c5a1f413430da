package io.github.resnetjava.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.resnetjava.testing.ReferenceOps;
import io.github.resnetjava.testing.TensorData;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Python custom_padding: (k - 1) // 2 zeros before, the rest after, on both spatial axes. */
class CustomPaddingTest {
  private static final int N = 2, H = 3, W = 4, C = 2;

  static Stream<Arguments> kernelSizesAndFormats() {
    return Stream.of(DataFormat.values())
        .flatMap(format -> Stream.of(1, 2, 3, 4, 5, 6, 7).map(k -> Arguments.of(k, format)));
  }

  @ParameterizedTest(name = "k={0} {1}")
  @MethodSource("kernelSizesAndFormats")
  void padsBeforeHalfTheTotalRoundedDownAndTheRestAfter(int kernelSize, DataFormat format) {
    // Hand-derived from the Python: pad_total = k - 1, pad_before = pad_total // 2.
    int[] expectedBefore = {0, 0, 0, 1, 1, 2, 2, 3};
    int[] expectedAfter = {0, 0, 1, 1, 2, 2, 3, 3};
    int before = expectedBefore[kernelSize];
    int after = expectedAfter[kernelSize];
    float[] nhwc = TensorData.randomValues(N * H * W * C, kernelSize);
    boolean first = format == DataFormat.CHANNELS_FIRST;
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ResNetModel model = new ResNetModel(tf, 8, 8, 18, 2, format);
      Shape shape = first ? Shape.of(N, C, H, W) : Shape.of(N, H, W, C);
      float[] input = first ? TensorData.nhwcToNchw(nhwc, N, H, W, C) : nhwc;
      Operand<TFloat32> padded =
          model.customPadding(TensorData.constant(tf, shape, input), kernelSize);
      int ph = H + before + after, pw = W + before + after;
      assertEquals(first ? Shape.of(N, C, ph, pw) : Shape.of(N, ph, pw, C), padded.shape());
      float[] expected = ReferenceOps.pad(nhwc, N, H, W, C, before, after);
      if (first) {
        expected = TensorData.nhwcToNchw(expected, N, ph, pw, C);
      }
      try (Session session = new Session(graph)) {
        assertArrayEquals(expected, TensorData.fetch(session, padded), 0f);
      }
    }
  }
}
