package io.github.resnetjava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code resnet summary} prints the layer table with the published totals. */
class SummaryCommandTest {

  @Test
  void resNet50SummaryShowsThePublishedTotals() {
    CliRun run = CliRun.of("summary", "--depth", "50", "--classes", "1000", "--resize-dim", "224");

    assertEquals(0, run.exitCode(), run.err());
    assertTrue(
        run.out().startsWith("Model: ResNet-50 v2: 1000 classes, channels_last, 224x224x3 input\n"),
        run.out());
    assertTrue(run.out().contains("Trainable params: 25,575,912\n"), run.out());
    assertTrue(run.out().contains("Non-trainable params: 45,440\n"), run.out());
    assertTrue(run.out().contains("Total params: 25,621,352 "), run.out());
    assertTrue(run.out().contains("Multiply-adds per image: 4,089,184,256 (4.09 G;"), run.out());
    assertTrue(run.out().contains("conv_initial (Conv2D)"), run.out());
    assertTrue(run.out().contains("logits (Dense)"), run.out());
  }

  @Test
  void resNet18SummaryInChannelsFirstShowsChannelsFirstShapes() {
    CliRun run = CliRun.of("summary", "--depth=18", "--data-format=channels_first");

    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("Trainable params: 11,696,680\n"), run.out());
    assertTrue(run.out().contains("(None, 64, 112, 112)"), run.out());
  }
}
