package io.github.resnetjava.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Whole-model structure for every depth: logits shape, TF1 variable names, parameter counts derived
 * here from the architecture, and TF1 reuse between a training and an inference call.
 */
class ArchitectureTest {
  private static final int CLASSES = 1000;

  /** What {@link #build} saw: the model's block type and its variables' shapes by name. */
  private record BuiltModel(boolean bottleneck, Map<String, Shape> variableShapes) {}

  /** Builds {@code depth} on a 224x224 placeholder; only shapes are looked at, nothing runs. */
  private static BuiltModel build(int depth, DataFormat format, Graph graph) {
    Ops tf = Ops.create(graph);
    Shape shape =
        format == DataFormat.CHANNELS_FIRST ? Shape.of(-1, 3, 224, 224) : Shape.of(-1, 224, 224, 3);
    Placeholder<TFloat32> images = tf.placeholder(TFloat32.class, Placeholder.shape(shape));
    ResNetModel model = new ResNetModel(tf, 256, 224, depth, CLASSES, format);
    Operand<TFloat32> logits = model.modelLayers(images, true);
    assertArrayEquals(new long[] {-1, CLASSES}, logits.shape().asArray());
    Map<String, Shape> shapes = new LinkedHashMap<>();
    model.variables().forEach((name, variable) -> shapes.put(name, variable.shape()));
    assertEquals(
        model.trainableVariables().size(),
        shapes.keySet().stream()
            .filter(n -> !n.endsWith("moving_mean") && !n.endsWith("moving_variance"))
            .count());
    return new BuiltModel(model.bottleneck(), shapes);
  }

  /**
   * Trainable parameters of this architecture, counted from the paper's table: conv layers {@code
   * k*k*in*out + out} (TF1 conv2d has a bias), pre-activation batch norms {@code 2*c}, a projection
   * shortcut in every block layer's first block, and the dense logits layer.
   */
  private static long expectedTrainableParameters(int depth, int classes) {
    int[][] blocks = {
      {18, 2, 2, 2, 2},
      {34, 3, 4, 6, 3},
      {50, 3, 4, 6, 3},
      {101, 3, 4, 23, 3},
      {152, 3, 8, 36, 3},
      {200, 3, 24, 36, 3}
    };
    int[] counts = null;
    for (int[] row : blocks) {
      if (row[0] == depth) {
        counts = row;
      }
    }
    boolean bottleneck = depth >= 50;
    long total = conv(7, 3, 64);
    long in = 64;
    for (int layer = 0; layer < 4; layer++) {
      long filters = 64L << layer;
      long out = bottleneck ? 4 * filters : filters;
      for (int block = 0; block < counts[layer + 1]; block++) {
        total += 2 * in; // pre-activation batch norm
        if (block == 0) {
          total += conv(1, in, out);
        }
        if (bottleneck) {
          total +=
              conv(1, in, filters)
                  + 2 * filters
                  + conv(3, filters, filters)
                  + 2 * filters
                  + conv(1, filters, out);
        } else {
          total += conv(3, in, filters) + 2 * filters + conv(3, filters, filters);
        }
        in = out;
      }
    }
    return total + 2 * in + in * classes + classes;
  }

  private static long conv(long k, long in, long out) {
    return k * k * in * out + out;
  }

  @ParameterizedTest(name = "ResNet-{0}")
  @CsvSource({
    // depth, trainable parameters (1000 classes), batch-norm layers, conv kernels + dense kernel
    "18, 11696680, 17, 11683008",
    "34, 21808552, 33, 21783744",
    "50, 25575912, 49, 25502912",
    "101, 44594152, 100, 44442816",
    "152, 60260840, 151, 60040384",
    "200, 64754152, 199, 64496832"
  })
  void everyDepthHasTheExpectedVariablesAndParameterCount(
      int depth, long trainable, int batchNorms, long kernelWeights) {
    try (Graph graph = new Graph()) {
      BuiltModel built = build(depth, DataFormat.CHANNELS_LAST, graph);
      boolean bottleneck = built.bottleneck();
      Map<String, Shape> shapes = built.variableShapes();
      assertEquals(depth >= 50, bottleneck);
      assertEquals(
          expectedTrainableParameters(depth, CLASSES),
          trainable,
          "the table row agrees with the count derived from the architecture");
      long trainableCount = 0, kernels = 0, movingStatistics = 0;
      int movingMeans = 0;
      for (var entry : shapes.entrySet()) {
        long size = entry.getValue().size();
        String name = entry.getKey();
        if (name.endsWith("moving_mean") || name.endsWith("moving_variance")) {
          movingStatistics += size;
          movingMeans += name.endsWith("moving_mean") ? 1 : 0;
        } else {
          trainableCount += size;
        }
        if (name.endsWith("/kernel")) {
          kernels += size;
        }
      }
      assertEquals(trainable, trainableCount);
      assertEquals(batchNorms, movingMeans, "one pre-activation per conv that follows one");
      assertEquals(kernelWeights, kernels);
      String blockType = bottleneck ? "bottleneck_block" : "regular_block";
      assertEquals(Shape.of(7, 7, 3, 64), shapes.get("conv_initial/kernel"));
      assertEquals(
          Shape.of(64), shapes.get("block_layer0/" + blockType + "0/batch_normalization/gamma"));
      assertEquals(
          Shape.of(1, 1, 64, bottleneck ? 256 : 64),
          shapes.get("block_layer0/" + blockType + "0/conv2d/kernel"),
          "projection first");
      assertEquals(
          Shape.of(bottleneck ? 1 : 3, bottleneck ? 1 : 3, 64, 64),
          shapes.get("block_layer0/" + blockType + "0/conv2d_1/kernel"));
      assertNull(
          shapes.get("block_layer0/" + blockType + "1/conv2d_3/kernel"),
          "later blocks have no projection");
      int finalChannels = bottleneck ? 2048 : 512;
      assertEquals(Shape.of(finalChannels), shapes.get("batch_normalization/moving_mean"));
      assertEquals(Shape.of(finalChannels, CLASSES), shapes.get("logits/kernel"));
      assertEquals(Shape.of(CLASSES), shapes.get("logits/bias"));
      String lastName = null;
      for (String name : shapes.keySet()) {
        lastName = name;
      }
      assertEquals("logits/bias", lastName, "creation order");
      if (depth == 50) {
        // Published: Keras ResNet50V2 reports 45,440 non-trainable (moving statistics) parameters;
        // torchvision resnet50 has 25,557,032 parameters = 25,502,912 conv/fc kernel weights +
        // 1,000 fc bias + 53,120 batch-norm parameters.
        assertEquals(45_440, movingStatistics);
        assertEquals(25_557_032 - 1_000 - 53_120, kernels);
      }
      if (depth == 18) {
        // torchvision resnet18 has 11,689,512 parameters, of which 9,600 batch norm and 1,000 fc
        // bias; the Python adds a 64->64 1x1 projection in block layer 0 that torchvision omits.
        assertEquals(11_689_512 - 9_600 - 1_000 + 64 * 64, kernels);
      }
    }
  }

  @Test
  void channelsFirstHasTheSameVariablesAsChannelsLast() {
    try (Graph last = new Graph();
        Graph first = new Graph()) {
      assertEquals(
          build(50, DataFormat.CHANNELS_LAST, last).variableShapes(),
          build(50, DataFormat.CHANNELS_FIRST, first).variableShapes());
    }
  }

  @Test
  void aSecondCallReusesEveryVariableAndAddsNoUpdateOps() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ResNetModel model = new ResNetModel(tf, 64, 64, 18, 10);
      Placeholder<TFloat32> train =
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 64, 64, 3)));
      Placeholder<TFloat32> serve =
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 64, 64, 3)));
      Operand<TFloat32> trainLogits = model.modelLayers(train, true);
      Map<String, Variable<TFloat32>> afterTraining = Map.copyOf(model.variables());
      List<String> namesAfterTraining = List.copyOf(model.variables().keySet());
      int updateOps = model.updateOps().size();
      assertEquals(2 * 17, updateOps, "two assignments per training-mode batch norm");

      Operand<TFloat32> serveLogits = model.modelLayers(serve, false);
      assertEquals(namesAfterTraining, List.copyOf(model.variables().keySet()));
      afterTraining.forEach((name, v) -> assertSame(v, model.variables().get(name), name));
      assertEquals(updateOps, model.updateOps().size());
      assertFalse(trainLogits.op().name().equals(serveLogits.op().name()));
      assertEquals("logits/output", trainLogits.op().name());
      assertEquals("logits/output_1", serveLogits.op().name());
      for (String endpoint :
          List.of(
              "conv_initial",
              "pool_initial",
              "block_layer0",
              "block_layer1",
              "block_layer2",
              "block_layer3",
              "final_pre_activation",
              "logits")) {
        assertNotNull(graph.operation(endpoint + "/output"), endpoint);
        assertTrue(model.endpoints().containsKey(endpoint));
      }
      // TF1 checkpoint names: the variable ops carry exactly the TF1 names.
      assertNotNull(graph.operation("block_layer0/regular_block0/conv2d_1/kernel"));
      assertNotNull(graph.operation("batch_normalization/moving_mean"));
    }
  }

  @Test
  void variableNamesAreRelativeToTheGivenOpsScope() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph).withSubScope("tower");
      ResNetModel model = new ResNetModel(tf, 32, 32, 18, 3);
      model.modelLayers(tf.zeros(tf.constant(new long[] {1, 32, 32, 3}), TFloat32.class), false);
      assertTrue(model.variables().containsKey("conv_initial/kernel"));
      assertNotNull(graph.operation("tower/conv_initial/kernel"));
    }
  }

  @Test
  void anExistingOpWithALayerNameDoesNotClashAndKeysStayTf1Names() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      tf.withName("conv_initial").constant(1f);
      ResNetModel model = new ResNetModel(tf, 32, 32, 18, 3);
      model.modelLayers(tf.zeros(tf.constant(new long[] {1, 32, 32, 3}), TFloat32.class), false);
      assertTrue(model.variables().containsKey("conv_initial/kernel"));
      assertEquals(
          "conv_initial_1/kernel",
          model.variables().get("conv_initial/kernel").op().name(),
          "TF made the taken graph name unique; the model's key is still the TF1 name");
    }
  }
}
