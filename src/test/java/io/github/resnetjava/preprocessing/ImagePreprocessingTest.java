package io.github.resnetjava.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The size rules of the official ResNet evaluation preprocessing. */
class ImagePreprocessingTest {
  private final ImagePreprocessing preprocessing = new ImagePreprocessing(40, 32);

  @Test
  void channelMeansAreTheOfficialResNetMeans() {
    assertEquals(List.of(123.68f, 116.78f, 103.94f), ImagePreprocessing.CHANNEL_MEANS);
    assertEquals(116.78f, ImagePreprocessing.channelMean(1));
  }

  @Test
  void shorterSideBecomesMinAspectDimAndLongerSideScalesTruncated() {
    // 50 x 75 scaled by 40/50: 40 x 60.
    assertArrayEquals(new int[] {40, 60}, preprocessing.resizedSize(50, 75));
    // 37 x 61 (width shorter: 37 is the width here): 61 * 40/37 = 65.95 truncates to 65.
    assertArrayEquals(new int[] {65, 40}, preprocessing.resizedSize(61, 37));
    // Upscaling: 20 x 30 doubles to 40 x 60.
    assertArrayEquals(new int[] {40, 60}, preprocessing.resizedSize(20, 30));
    // Already at size: unchanged.
    assertArrayEquals(new int[] {40, 45}, preprocessing.resizedSize(40, 45));
  }

  @Test
  void shorterSideNeverFallsOneShortOfMinAspectDim() {
    // In float32, 41 * (32 / 41) = 31.999998, which the official tf.cast truncates to 31.
    float official = 41 * (32f / 41f);
    assertTrue(official < 32f, "precondition: float32 rounding loses the last pixel");
    ImagePreprocessing square = new ImagePreprocessing(32, 32);
    // 100 * 32 / 41 = 78.05.
    assertArrayEquals(new int[] {32, 78}, square.resizedSize(41, 100));
  }

  @Test
  void centralCropOffsetIsHalfTheExcessRoundedDown() {
    assertEquals(4, preprocessing.centralCropOffset(40));
    assertEquals(14, preprocessing.centralCropOffset(61));
    assertEquals(0, preprocessing.centralCropOffset(32));
    assertThrows(IllegalArgumentException.class, () -> preprocessing.centralCropOffset(31));
  }

  @Test
  void rejectsACropLargerThanTheShorterSide() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new ImagePreprocessing(31, 32));
    assertTrue(
        e.getMessage().contains("minAspectDim (31) must be >= resizeDim (32)"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ImagePreprocessing(40, 0));
    assertThrows(IllegalArgumentException.class, () -> preprocessing.resizedSize(0, 10));
  }
}
