package io.github.resnetjava.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Bad arguments fail fast with IllegalArgumentException naming what is allowed. */
class ArgumentValidationTest {
  private Graph graph;
  private Ops tf;

  @BeforeEach
  void createGraph() {
    graph = new Graph();
    tf = Ops.create(graph);
  }

  @AfterEach
  void closeGraph() {
    graph.close();
  }

  private Operand<TFloat32> zeros(long... shape) {
    return tf.zeros(tf.constant(shape), TFloat32.class);
  }

  private static void assertRejected(Executable call, String... fragments) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    for (String fragment : fragments) {
      assertTrue(
          e.getMessage().contains(fragment),
          "message '" + e.getMessage() + "' should mention '" + fragment + "'");
    }
  }

  @Test
  void unknownDepthNamesTheSupportedDepths() {
    assertRejected(
        () -> new ResNetModel(tf, 256, 224, 42, 1000), "18, 34, 50, 101, 152, 200", "got 42");
  }

  @Test
  void kernelSizeAndStridesMustBePositive() {
    ResNetModel model = new ResNetModel(tf, 8, 8, 18, 2);
    assertRejected(
        () -> model.customConv2d(zeros(1, 8, 8, 3), 4, 0, 1, null), "kernelSize", ">= 1");
    assertRejected(() -> model.customConv2d(zeros(1, 8, 8, 3), 4, 3, 0, null), "strides", ">= 1");
    assertRejected(() -> model.customPadding(zeros(1, 8, 8, 3), -1), "kernelSize", ">= 1");
    assertRejected(() -> model.customConv2d(zeros(1, 8, 8, 3), 0, 3, 1, null), "filters", ">= 1");
  }

  @Test
  void rankThreeInputAsksForABatchDimension() {
    ResNetModel model = new ResNetModel(tf, 8, 8, 18, 2);
    assertRejected(
        () -> model.modelLayers(zeros(8, 8, 3), false),
        "rank 4",
        "[batch, height, width, channels]",
        "add a batch dimension");
    assertRejected(() -> model.customConv2d(zeros(8, 8, 3), 4, 3, 1, null), "rank 4");
    assertRejected(() -> model.preActivation(zeros(8, 3), false), "rank 4");
  }

  @Test
  void imagesInTheOtherLayoutAreRejectedWithTheFix() {
    ResNetModel first = new ResNetModel(tf, 32, 32, 18, 2, DataFormat.CHANNELS_FIRST);
    assertRejected(
        () -> first.modelLayers(zeros(1, 32, 32, 3), false),
        "channels_first",
        "[batch, channels, height, width]",
        "CHANNELS_LAST");
    ResNetModel last = new ResNetModel(tf, 32, 32, 18, 2, DataFormat.CHANNELS_LAST);
    assertRejected(
        () -> last.modelLayers(zeros(1, 3, 32, 32), false), "channels_last", "CHANNELS_FIRST");
  }

  @Test
  void aSecondCallWithAnotherChannelCountNamesTheVariableAndTheShapes() {
    ResNetModel model = new ResNetModel(tf, 32, 32, 18, 2);
    model.modelLayers(zeros(1, 32, 32, 3), true);
    assertRejected(
        () -> model.modelLayers(zeros(1, 32, 32, 1), false),
        "conv_initial/kernel",
        "[7, 7, 3, 64]",
        "[7, 7, 1, 64]");
  }

  @Test
  void nonPositiveSizesAreRejected() {
    assertRejected(() -> new ResNetModel(tf, 256, 224, 50, 0), "outputSize");
    assertRejected(() -> new ResNetModel(tf, 0, 224, 50, 10), "minAspectDim");
    assertRejected(() -> new ResNetModel(tf, 256, 224, 50, 10, null), "CHANNELS_LAST");
  }

  @Test
  void dataFormatParsesThePythonAndTfSpellings() {
    assertEquals(DataFormat.CHANNELS_FIRST, DataFormat.parse("channels_first"));
    assertEquals(DataFormat.CHANNELS_LAST, DataFormat.parse("NHWC"));
    assertRejected(() -> DataFormat.parse("channels_middle"), "channels_last", "channels_first");
  }
}
