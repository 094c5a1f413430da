package io.github.resnetjava.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Batch-norm folding in Java against values worked out by hand. */
class BatchNormFoldingTest {

  @Test
  void theScaleIsGammaOverTheStandardDeviation() {
    // sqrt(3.999 + 0.001) = 2 and sqrt(0.249 + 0.001) = 0.5.
    float[] scale = BatchNormFolding.scale(new float[] {3f, -1f}, new float[] {3.999f, 0.249f});
    assertArrayEquals(new float[] {1.5f, -2f}, scale, 1e-6f);
  }

  @Test
  void theKernelScalesEachOutputChannelAndTheBiasShiftsIt() {
    // A 1x1 kernel, 2 input and 2 output channels, HWIO: [in0 -> out0, in0 -> out1, in1 -> out0,
    // in1 -> out1]; output channel 0 is scaled by 1.5, channel 1 by -2.
    float[] scale = {1.5f, -2f};
    float[] kernel = {1f, 2f, 3f, 4f};
    BatchNormFolding.scaleKernel(kernel, 4, 0, scale);
    assertArrayEquals(new float[] {1.5f, -4f, 4.5f, -8f}, kernel, 0f);
    // The same kernel folded in chunks of 3 and 1 values: the second chunk starts at flat index
    // 3, output channel 1; the first chunk's length argument stops it before its last slot.
    float[] firstChunk = {1f, 2f, 3f, 99f};
    BatchNormFolding.scaleKernel(firstChunk, 3, 0, scale);
    assertArrayEquals(new float[] {1.5f, -4f, 4.5f, 99f}, firstChunk, 0f);
    float[] secondChunk = {4f};
    BatchNormFolding.scaleKernel(secondChunk, 1, 3, scale);
    assertArrayEquals(new float[] {-8f}, secondChunk, 0f);
    // (b - mean) * s + beta: (1 - 3) * 1.5 + 0.5 = -2.5 and (0 - 0.5) * -2 + 1 = 2.
    assertArrayEquals(
        new float[] {-2.5f, 2f},
        BatchNormFolding.bias(
            new float[] {1f, 0f}, new float[] {3f, 0.5f}, scale, new float[] {0.5f, 1f}),
        0f);
  }

  @Test
  void mismatchedChannelCountsAreRefused() {
    IllegalArgumentException kernel =
        assertThrows(
            IllegalArgumentException.class,
            () -> BatchNormFolding.requireWholeFilters(5, new float[2]));
    assertTrue(kernel.getMessage().contains("2 output channels"), kernel.getMessage());
    IllegalArgumentException beta =
        assertThrows(
            IllegalArgumentException.class,
            () -> BatchNormFolding.bias(new float[2], new float[2], new float[2], new float[3]));
    assertTrue(beta.getMessage().startsWith("beta has 3 values for 2 channels"), beta.getMessage());
  }
}
