package io.github.resnetjava.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resnetjava.layers.FedVariables;
import io.github.resnetjava.model.DataFormat;
import io.github.resnetjava.model.ResNetModel;
import io.github.resnetjava.savedmodel.Signatures;
import io.github.resnetjava.testing.GraphOps;
import io.github.resnetjava.testing.ServingFixture;
import io.github.resnetjava.testing.TensorData;
import io.github.resnetjava.testing.TestImages;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * The optimized export ({@link SavedModelExporter#withInferenceOptimization}) serves what the plain
 * export of the same session serves, with the folded batch norms gone from the graph and their
 * weights replaced by folded kernels and biases in {@code variables/}.
 */
class OptimizedExportTest {
  private static final int C = ServingFixture.CLASSES;
  private static final int SIDE = ServingFixture.RESIZE_DIM;
  private static final int IMAGES = 100;

  /** ResNet-18 has 17 batch norms; folding removes one per block (8 blocks). */
  private static final int UNFOLDED_BATCH_NORMS = 17 - 8;

  /**
   * Elements from which a constant counts as a weight: ResNet-18's smallest kernel has 7*7*3*64.
   */
  private static final long MIN_WEIGHT_CONSTANT = 1000;

  @TempDir Path modelsDir;

  @ParameterizedTest
  @EnumSource(DataFormat.class)
  void theOptimizedExportGivesThePlainExportsLogitsAndClasses(DataFormat format) {
    Path plain;
    Path optimized;
    try (ServingFixture fixture = ServingFixture.create(format)) {
      fixture.randomizeBatchNorms();
      fixture.setLogitsBias(new float[] {0.5f, -1f, 2f, 0f, 1.5f, -0.25f, 3f});
      SavedModelExporter exporter = SavedModelExporter.into(modelsDir, "resnet");
      plain = exporter.export(fixture.session, fixture.serving, 1);
      optimized =
          exporter.withInferenceOptimization(true).export(fixture.session, fixture.serving, 2);
    }
    assertTrue(Files.isRegularFile(plain.resolve("variables/variables.index")));
    assertTrue(
        Files.isRegularFile(optimized.resolve("variables/variables.index")),
        "an optimized export holds its weights in variables");

    float[] images = ServingFixture.images(IMAGES, 31);
    List<byte[]> files =
        List.of(
            TestImages.encode(TestImages.pattern(53, 37, BufferedImage.TYPE_INT_RGB, 1), "png"),
            TestImages.encode(TestImages.pattern(40, 99, BufferedImage.TYPE_INT_RGB, 2), "jpg"));
    try (SavedModelBundle plainBundle = load(plain);
        SavedModelBundle optimizedBundle = load(optimized);
        TFloat32 imageTensor = TensorData.tensor(Shape.of(IMAGES, SIDE, SIDE, 3), images);
        TString bytesTensor =
            TString.tensorOfBytes(NdArrays.vectorOfObjects(files.toArray(new byte[0][])))) {
      assertEquals(
          0,
          weightSizedConstants(optimizedBundle.graph()),
          "no weight constants in the optimized graph");
      assertEquals(UNFOLDED_BATCH_NORMS, GraphOps.inferenceBatchNorms(optimizedBundle.graph()));
      assertEquals(0, GraphOps.ofType(plainBundle.graph(), "FusedBatchNormV3"));

      float[] expected = run(plainBundle, Signatures.SERVING_DEFAULT, imageTensor);
      float[] actual = run(optimizedBundle, Signatures.SERVING_DEFAULT, imageTensor);
      assertClose(expected, actual);
      assertSameTopClass(expected, actual);
      assertClose(
          run(plainBundle, Signatures.IMAGE_BYTES, bytesTensor),
          run(optimizedBundle, Signatures.IMAGE_BYTES, bytesTensor));
    }
  }

  @Test
  void theOptimizedExportKeepsEveryUnfoldedWeightUnderItsNameAndValue() {
    Path plain;
    Path optimized;
    try (ServingFixture fixture = ServingFixture.create(DataFormat.CHANNELS_LAST)) {
      fixture.randomizeBatchNorms();
      SavedModelExporter exporter = SavedModelExporter.into(modelsDir, "resnet");
      plain = exporter.export(fixture.session, fixture.serving, 1);
      optimized =
          exporter.withInferenceOptimization(true).export(fixture.session, fixture.serving, 2);
    }
    try (SavedModelBundle plainBundle = load(plain);
        SavedModelBundle optimizedBundle = load(optimized)) {
      Set<String> plainNames = variableNames(plainBundle);
      Set<String> optimizedNames = variableNames(optimizedBundle);
      Set<String> removed = new TreeSet<>(plainNames);
      removed.removeAll(optimizedNames);
      Set<String> added = new TreeSet<>(optimizedNames);
      added.removeAll(plainNames);
      // ResNet-18 folds one conv/batch-norm pair per block (8 blocks): each trades the conv's
      // kernel and bias and the batch norm's four weights for a folded kernel and bias.
      assertEquals(8 * 6, removed.size(), removed.toString());
      assertEquals(8 * 2, added.size(), added.toString());
      // The first block of a layer has a projection shortcut (conv2d), so its first inner conv
      // is conv2d_1; it is followed by the block's second batch norm, batch_normalization_1.
      String projected = "block_layer0/regular_block0/";
      assertTrue(added.contains(projected + "conv2d_1/" + FedVariables.FOLDED_KERNEL));
      assertTrue(added.contains(projected + "conv2d_1/" + FedVariables.FOLDED_BIAS));
      assertTrue(removed.contains(projected + "conv2d_1/kernel"));
      assertTrue(removed.contains(projected + "batch_normalization_1/moving_variance"));
      assertTrue(optimizedNames.contains(projected + "conv2d/kernel"), "the shortcut stays");
      assertTrue(optimizedNames.contains(projected + "batch_normalization/gamma"));
      String identity = "block_layer0/regular_block1/";
      assertTrue(added.contains(identity + "conv2d/" + FedVariables.FOLDED_KERNEL));
      assertTrue(removed.contains(identity + "batch_normalization_1/beta"));

      Set<String> kept = new TreeSet<>(optimizedNames);
      kept.retainAll(plainNames);
      assertEquals(plainNames.size() - removed.size(), kept.size());
      for (String name : kept) {
        assertArrayEquals(value(plainBundle, name), value(optimizedBundle, name), 0f, name);
      }
    }
  }

  @Test
  void anOptimizedGraphExportsAndLoadsButIsNotOptimizedTwice() {
    float[] images = ServingFixture.images(2, 5);
    float[] expected;
    Path exported;
    int variables;
    try (ServingFixture fixture = ServingFixture.create(DataFormat.CHANNELS_LAST)) {
      fixture.randomizeBatchNorms();
      expected = fixture.runInput(fixture.serving.logits(), images, 2);
      try (OptimizedServingGraph optimized =
          OptimizedServingGraph.of(fixture.session, fixture.serving)) {
        ResNetModel frozen = optimized.servingGraph().model();
        assertTrue(frozen.frozen() && frozen.foldsBatchNorms());
        SavedModelExporter exporter = SavedModelExporter.into(modelsDir, "frozen");
        IllegalArgumentException again =
            assertThrows(
                IllegalArgumentException.class,
                () ->
                    exporter
                        .withInferenceOptimization(true)
                        .export(optimized.session(), optimized.servingGraph(), 1));
        assertTrue(again.getMessage().contains("already inference-only"), again.getMessage());
        assertFalse(Files.exists(exporter.modelDir().resolve("1")));
        exported = exporter.export(optimized.session(), optimized.servingGraph(), 1);
        variables = frozen.fedVariables().variables().size();
      }
    }
    try (SavedModelBundle bundle = load(exported);
        TFloat32 imageTensor = TensorData.tensor(Shape.of(2, SIDE, SIDE, 3), images)) {
      assertEquals(variables, GraphOps.ofType(bundle.graph(), "VariableV2"));
      assertClose(expected, run(bundle, Signatures.SERVING_DEFAULT, imageTensor));
    }
  }

  @Test
  void anOptimizedCopyNeedsTheSessionOfItsSourceGraph() {
    try (ServingFixture fixture = ServingFixture.create(DataFormat.CHANNELS_LAST);
        Graph other = new Graph();
        Session otherSession = new Session(other)) {
      Ops.create(other).constant(1f);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> OptimizedServingGraph.of(otherSession, fixture.serving));
      assertTrue(e.getMessage().contains("serving graph's Graph"), e.getMessage());
    }
  }

  private static int weightSizedConstants(Graph graph) {
    int count = 0;
    for (Iterator<GraphOperation> ops = graph.operations(); ops.hasNext(); ) {
      GraphOperation op = ops.next();
      if (op.type().equals("Const") && op.output(0).shape().size() >= MIN_WEIGHT_CONSTANT) {
        count++;
      }
    }
    return count;
  }

  private static Set<String> variableNames(SavedModelBundle bundle) {
    Set<String> names = new TreeSet<>();
    bundle
        .graph()
        .operations()
        .forEachRemaining(
            op -> {
              if (op.type().equals("VariableV2")) {
                names.add(op.name());
              }
            });
    return names;
  }

  private static float[] value(SavedModelBundle bundle, String variable) {
    try (Result result = bundle.session().runner().fetch(variable).run()) {
      return TensorData.values(result.get(0));
    }
  }

  private static SavedModelBundle load(Path dir) {
    return SavedModelBundle.load(dir.toString(), Signatures.TAG_SERVE);
  }

  private static float[] run(SavedModelBundle bundle, String key, Tensor feed) {
    Signature signature = bundle.function(key).signature();
    String input = signature.getInputs().values().iterator().next().name;
    try (Result result =
        bundle
            .session()
            .runner()
            .feed(input, feed)
            .fetch(signature.getOutputs().get(Signatures.LOGITS).name)
            .run()) {
      return TensorData.values(result.get(0));
    }
  }

  /** Equal within 1e-4 of the largest logit's magnitude. */
  private static void assertClose(float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length);
    double scale = 0;
    for (float v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    assertTrue(scale > 1e-2, "logits are not trivially zero");
    assertArrayEquals(expected, actual, (float) (1e-4 * scale));
  }

  /**
   * Every image's top class is the same, except where the plain export's two best logits are within
   * the comparison's tolerance of each other (a tie rounding may break either way).
   */
  private static void assertSameTopClass(float[] expected, float[] actual) {
    int ties = 0;
    for (int image = 0; image < expected.length / C; image++) {
      int best = argMax(expected, image);
      double secondBest = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < C; c++) {
        if (c != best) {
          secondBest = Math.max(secondBest, expected[image * C + c]);
        }
      }
      if (expected[image * C + best] - secondBest < 1e-4 * Math.abs(expected[image * C + best])) {
        ties++;
        continue;
      }
      assertEquals(best, argMax(actual, image), "top class of image " + image);
    }
    assertTrue(ties <= 2, ties + " near-ties among " + IMAGES + " images");
  }

  private static int argMax(float[] logits, int image) {
    int best = 0;
    for (int c = 1; c < C; c++) {
      if (logits[image * C + c] > logits[image * C + best]) {
        best = c;
      }
    }
    return best;
  }
}
