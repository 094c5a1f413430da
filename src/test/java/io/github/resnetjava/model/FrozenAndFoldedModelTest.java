package io.github.resnetjava.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resnetjava.testing.GraphOps;
import io.github.resnetjava.testing.RandomBatchNorms;
import io.github.resnetjava.testing.TensorData;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Frozen (constant) weights, fed variables and batch-norm folding give the variable model's
 * outputs, with the folded batch norms gone from the graph.
 */
class FrozenAndFoldedModelTest {
  private static final int BATCH = 2, SIDE = 32, CLASSES = 5;

  /** Logits and weights of a seeded variable model whose batch norms hold random statistics. */
  private record Reference(float[] logits, Map<String, float[]> weights) {}

  private static Reference variableModel(int depth, DataFormat format, float[] imagesNhwc) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ResNetModel model = new ResNetModel(tf, SIDE, SIDE, depth, CLASSES, format, 5L);
      Operand<TFloat32> logits = model.modelLayers(input(tf, format, imagesNhwc), false);
      List<Op> randomize = RandomBatchNorms.assigns(tf, model);
      try (Session session = new Session(graph)) {
        randomize.forEach(session::run);
        return new Reference(TensorData.fetch(session, logits), model.readWeights(session));
      }
    }
  }

  private static Operand<TFloat32> input(Ops tf, DataFormat format, float[] imagesNhwc) {
    return format == DataFormat.CHANNELS_FIRST
        ? TensorData.constant(
            tf,
            Shape.of(BATCH, 3, SIDE, SIDE),
            TensorData.nhwcToNchw(imagesNhwc, BATCH, SIDE, SIDE, 3))
        : TensorData.constant(tf, Shape.of(BATCH, SIDE, SIDE, 3), imagesNhwc);
  }

  @ParameterizedTest(name = "ResNet-{0} {1} fold={2}")
  @CsvSource({
    "18, CHANNELS_LAST, false, 17", "18, CHANNELS_LAST, true, 9",
    "18, CHANNELS_FIRST, true, 9", "50, CHANNELS_LAST, true, 17"
  })
  void frozenWeightsGiveTheVariableModelsLogits(
      int depth, DataFormat format, boolean fold, int remainingBatchNorms) {
    float[] images = TensorData.randomValues(BATCH * SIDE * SIDE * 3, 3);
    Reference reference = variableModel(depth, format, images);
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ResNetModel frozen =
          builder(tf, depth, format)
              .frozenWeights(reference.weights())
              .foldBatchNorms(fold)
              .build();
      Operand<TFloat32> logits = frozen.modelLayers(input(tf, format, images), false);
      assertTrue(frozen.variables().isEmpty());
      // ResNet-18: 17 batch norms, one folded per block (8 blocks); ResNet-50: 49, two per
      // bottleneck block (16 blocks).
      assertEquals(remainingBatchNorms, GraphOps.inferenceBatchNorms(graph));
      assertEquals(0, GraphOps.ofType(graph, "FusedBatchNormV3"));
      assertEquals(0, GraphOps.ofType(graph, "VariableV2"));
      try (Session session = new Session(graph)) {
        assertCloseLogits(reference.logits(), TensorData.fetch(session, logits));
      }
    }
  }

  @ParameterizedTest(name = "ResNet-{0} {1} fold={2}")
  @CsvSource({
    "18, CHANNELS_LAST, false, 17, 0",
    "18, CHANNELS_FIRST, true, 9, 8",
    "50, CHANNELS_LAST, true, 17, 32"
  })
  void fedWeightsGiveTheVariableModelsLogits(
      int depth, DataFormat format, boolean fold, int remainingBatchNorms, int foldedConvs) {
    float[] images = TensorData.randomValues(BATCH * SIDE * SIDE * 3, 3);
    try (Graph sourceGraph = new Graph();
        Graph graph = new Graph()) {
      Ops sourceTf = Ops.create(sourceGraph);
      ResNetModel source = new ResNetModel(sourceTf, SIDE, SIDE, depth, CLASSES, format, 5L);
      Operand<TFloat32> expected = source.modelLayers(input(sourceTf, format, images), false);
      List<Op> randomize = RandomBatchNorms.assigns(sourceTf, source);
      Ops tf = Ops.create(graph);
      ResNetModel fed = builder(tf, depth, format).fedWeights(true).foldBatchNorms(fold).build();
      Operand<TFloat32> logits = fed.modelLayers(input(tf, format, images), false);
      assertTrue(fed.frozen(), "inference-only");
      assertEquals(remainingBatchNorms, GraphOps.inferenceBatchNorms(graph));
      // Each folded pair trades its conv's kernel and bias and its batch norm's four weights for
      // a folded kernel and bias: 4 fewer variables per folded pair.
      int variables = fed.fedVariables().variables().size();
      assertEquals(source.variables().size() - 4 * foldedConvs, variables);
      assertEquals(variables, GraphOps.ofType(graph, "VariableV2"));
      try (Session sourceSession = new Session(sourceGraph);
          Session session = new Session(graph)) {
        randomize.forEach(sourceSession::run);
        fed.fedVariables()
            .assign(session, names -> source.weightsRunner(sourceSession, names).run());
        assertCloseLogits(
            TensorData.fetch(sourceSession, expected), TensorData.fetch(session, logits));
      }
    }
  }

  private static ResNetModel.Builder builder(Ops tf, int depth, DataFormat format) {
    return ResNetModel.builder(tf)
        .minAspectDim(SIDE)
        .resizeDim(SIDE)
        .numLayers(depth)
        .outputSize(CLASSES)
        .dataFormat(format);
  }

  /** Equal within 1e-4 of the largest reference logit's magnitude. */
  private static void assertCloseLogits(float[] expected, float[] actual) {
    double scale = 0;
    for (float v : expected) scale = Math.max(scale, Math.abs(v));
    assertTrue(scale > 1e-2, "logits are not trivially zero");
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < actual.length; i++) {
      assertEquals(expected[i], actual[i], 1e-4 * scale, "logit " + i);
    }
  }

  @Test
  void frozenModelsRejectTrainingAndMissingWeights() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> images =
          tf.zeros(tf.constant(new long[] {1, SIDE, SIDE, 3}), TFloat32.class);
      ResNetModel empty =
          ResNetModel.builder(tf)
              .numLayers(18)
              .resizeDim(SIDE)
              .minAspectDim(SIDE)
              .outputSize(CLASSES)
              .frozenWeights(Map.of())
              .build();
      IllegalStateException training =
          assertThrows(IllegalStateException.class, () -> empty.modelLayers(images, true));
      assertTrue(training.getMessage().contains("inference-only"));
      IllegalArgumentException missing =
          assertThrows(IllegalArgumentException.class, () -> empty.modelLayers(images, false));
      assertTrue(missing.getMessage().contains("conv_initial/kernel"), missing.getMessage());
    }
  }
}
