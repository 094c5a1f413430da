package io.github.resnetjava.summary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resnetjava.model.DataFormat;
import io.github.resnetjava.model.ResNetModel;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Summaries read off real model graphs, checked against published and hand-computed counts. */
class ModelSummarizerTest {

  @Test
  void resNet50MatchesThePublishedParameterAndMultiplyAddCounts() {
    ModelSummary summary =
        ModelSummarizer.summarizeArchitecture(50, 1000, 224, DataFormat.CHANNELS_LAST);

    // Keras' ResNet50V2 has 25,568,360 trainable parameters; this model adds a bias to each of
    // its 53 convolutions (7,552 more); the moving statistics are 2 x 22,720 batch-norm channels.
    assertEquals(25_575_912L, summary.trainableParams());
    assertEquals(45_440L, summary.nonTrainableParams());
    assertEquals(25_575_912L + 45_440L, summary.totalParams());
    // ResNet-50 v2 at 224x224 is quoted at about 4.09 G multiply-adds per image.
    assertEquals(4.09e9, summary.multiplyAdds(), 0.01e9);
    assertEquals(
        "ResNet-50 v2: 1000 classes, channels_last, 224x224x3 input", summary.description());

    LayerSummary first = summary.layers().get(0);
    assertEquals("conv_initial", first.name());
    assertEquals(LayerKind.CONV2D, first.kind());
    assertArrayEquals(new long[] {-1, 112, 112, 64}, first.outputShape().asArray());
    assertEquals(7 * 7 * 3 * 64 + 64, first.trainableParams());
    LayerSummary last = summary.layers().get(summary.layers().size() - 1);
    assertEquals("logits", last.name());
    assertEquals(LayerKind.DENSE, last.kind());
    assertArrayEquals(new long[] {-1, 1000}, last.outputShape().asArray());
    assertEquals(2048L * 1000, last.multiplyAdds());
  }

  @Test
  void resNet18HasThePublishedTrainableParameterCount() {
    ModelSummary summary =
        ModelSummarizer.summarizeArchitecture(18, 1000, 224, DataFormat.CHANNELS_LAST);
    assertEquals(11_696_680L, summary.trainableParams());
  }

  @Test
  void multiplyAddsOfATinyResNet18MatchAHandCount() {
    ModelSummary summary =
        ModelSummarizer.summarizeArchitecture(18, 10, 32, DataFormat.CHANNELS_LAST);

    // 32x32 input: conv_initial pads to 38 and strides 2 -> 16x16, the max pool -> 8x8, then the
    // block layers run at 8x8, 4x4, 2x2 and 1x1.
    long convInitial = 16 * 16 * (7 * 7 * 3) * 64;
    long blockLayer0 = 4 * (8 * 8 * 9 * 64 * 64) + 8 * 8 * 64 * 64; // 4 3x3 convs + projection
    // Each later block layer halves the side and doubles the channels, so its first 3x3 conv,
    // its three other 3x3 convs and its 1x1 projection cost the same at every stage:
    long laterBlockLayer = 4 * 4 * 9 * 64 * 128 + 3 * (4 * 4 * 9 * 128 * 128) + 4 * 4 * 64 * 128;
    long logits = 512 * 10;
    assertEquals(2_408_448L, convInitial);
    assertEquals(convInitial + blockLayer0 + 3 * laterBlockLayer + logits, summary.multiplyAdds());
    assertEquals(37_278_720L, summary.multiplyAdds());

    LayerSummary pool = summary.layers().get(1);
    assertEquals("pool_initial", pool.name());
    assertEquals(LayerKind.MAX_POOLING2D, pool.kind());
    assertArrayEquals(new long[] {-1, 8, 8, 64}, pool.outputShape().asArray());
    assertEquals(0, pool.params());
  }

  @Test
  void channelsFirstListsTheSameLayersWithChannelsFirstShapes() {
    ModelSummary last = ModelSummarizer.summarizeArchitecture(18, 10, 32, DataFormat.CHANNELS_LAST);
    ModelSummary first =
        ModelSummarizer.summarizeArchitecture(18, 10, 32, DataFormat.CHANNELS_FIRST);

    assertEquals(names(last), names(first));
    assertEquals(last.trainableParams(), first.trainableParams());
    assertEquals(last.nonTrainableParams(), first.nonTrainableParams());
    assertEquals(last.multiplyAdds(), first.multiplyAdds());
    assertArrayEquals(new long[] {-1, 64, 16, 16}, first.layers().get(0).outputShape().asArray());
    assertArrayEquals(
        new long[] {-1, 512, 1, 1},
        first.layers().get(first.layers().size() - 2).outputShape().asArray());
  }

  @Test
  void aScopedModelBuiltTwiceIsSummarizedOnceWithTf1Names() {
    ModelSummary reference =
        ModelSummarizer.summarizeArchitecture(18, 10, 32, DataFormat.CHANNELS_LAST);
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph).withSubScope("tower");
      ResNetModel model = new ResNetModel(tf, 32, 32, 18, 10);
      Placeholder<TFloat32> images =
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 32, 32, 3)));
      model.modelLayers(images, true);
      model.modelLayers(images, false);

      ModelSummary summary = ModelSummarizer.summarize(model);

      assertEquals(names(reference), names(summary));
      assertEquals(reference.trainableParams(), summary.trainableParams());
      assertEquals(reference.nonTrainableParams(), summary.nonTrainableParams());
      assertEquals(reference.multiplyAdds(), summary.multiplyAdds());
      assertEquals("ResNet-18 v2: 10 classes, channels_last", summary.description());
    }
  }

  @Test
  void aModelWithoutLayersCannotBeSummarized() {
    try (Graph graph = new Graph()) {
      ResNetModel model = new ResNetModel(Ops.create(graph), 32, 32, 18, 10);
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> ModelSummarizer.summarize(model));
      assertTrue(e.getMessage().contains("modelLayers"), e.getMessage());
    }
  }

  private static List<String> names(ModelSummary summary) {
    return summary.layers().stream().map(LayerSummary::name).toList();
  }
}
