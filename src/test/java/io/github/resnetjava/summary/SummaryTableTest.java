package io.github.resnetjava.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.resnetjava.model.DataFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

/** The text layout of a summary, on hand-made rows. */
class SummaryTableTest {

  @Test
  void rendersKerasStyleRowsAndGroupedTotals() {
    ModelSummary summary =
        new ModelSummary(
            "tiny",
            DataFormat.CHANNELS_LAST,
            List.of(
                new LayerSummary("conv", LayerKind.CONV2D, Shape.of(-1, 4, 4, 8), 224, 0, 3_456),
                new LayerSummary(
                    "bn", LayerKind.BATCH_NORMALIZATION, Shape.of(-1, 4, 4, 8), 16, 16, 0),
                new LayerSummary("fc", LayerKind.DENSE, Shape.of(-1, 1000), 129_000, 0, 128_000)));

    String expected =
        String.join(
            "\n",
            "Model: tiny",
            "_______________________________________________________________",
            "Layer (type)              Output Shape      Param #   Mult-Adds",
            "===============================================================",
            "conv (Conv2D)             (None, 4, 4, 8)       224       3,456",
            "bn (BatchNormalization)   (None, 4, 4, 8)        32           0",
            "fc (Dense)                (None, 1000)      129,000     128,000",
            "===============================================================",
            "Total params: 129,256 (0.49 MB as float32)",
            "Trainable params: 129,240",
            "Non-trainable params: 16",
            "Multiply-adds per image: 131,456 (0.00 G; conv2d and dense only)",
            "_______________________________________________________________",
            "");
    assertEquals(expected, SummaryTable.render(summary));
  }
}
