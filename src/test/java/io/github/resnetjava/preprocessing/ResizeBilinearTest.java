package io.github.resnetjava.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resnetjava.testing.TensorData;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** The Java port of TF's ResizeBilinear (align_corners=false, half_pixel_centers=false). */
class ResizeBilinearTest {

  @Test
  void upscalingTwoByTwoToThreeByThreeSamplesAtMultiplesOfTwoThirds() {
    // scale = 2/3: output rows and columns sample the input at 0, 2/3 and 4/3; 4/3 lies past the
    // last pixel, so lower = upper = 1 and the edge pixel repeats.
    float[] image = {0, 30, 60, 90};
    float[] expected = {
      0, 20, 30,
      40, 60, 70,
      60, 80, 90,
    };
    assertArrayEquals(expected, ResizeBilinear.resize(image, 2, 2, 1, 3, 3), 1e-4f);
  }

  @Test
  void doublingAWidthRepeatsTheLastColumnInsteadOfCentringPixels() {
    // scale = 1/2: columns 0, 0.5, 1, 1.5 -> 10, 15, 20, 20 (no half-pixel centres).
    assertArrayEquals(
        new float[] {10, 15, 20, 20},
        ResizeBilinear.resize(new float[] {10, 20}, 1, 2, 1, 1, 4),
        0f);
  }

  @Test
  void halvingPicksEveryOtherPixelFromTheTopLeft() {
    // scale = 2: outputs sample exactly at 0 and 2, so no interpolation happens.
    float[] image = new float[16];
    for (int i = 0; i < 16; i++) {
      image[i] = i;
    }
    assertArrayEquals(new float[] {0, 2, 8, 10}, ResizeBilinear.resize(image, 4, 4, 1, 2, 2), 0f);
  }

  @Test
  void channelsAreInterpolatedIndependently() {
    // 1 x 2 RGB image, widened to 1 x 3 (scale 2/3): the middle pixel is 2/3 of the way across.
    float[] image = {0, 90, 255, 30, 0, 0};
    float[] out = ResizeBilinear.resize(image, 1, 2, 3, 1, 3);
    assertArrayEquals(new float[] {0, 90, 255, 20, 30, 85, 30, 0, 0}, out, 1e-4f);
  }

  @ParameterizedTest(name = "{0}x{1} -> {2}x{3}")
  @CsvSource({
    "37, 53, 40, 57",
    "61, 40, 65, 42",
    "50, 75, 40, 60",
    "7, 5, 40, 28",
    "40, 40, 40, 40"
  })
  void matchesTensorFlowsKernelOnPixelValues(int height, int width, int outHeight, int outWidth) {
    float[] image = new float[height * width * 3];
    Random random = new Random(height * 31L + width);
    for (int i = 0; i < image.length; i++) {
      image[i] = random.nextInt(256);
    }
    float[] expected;
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> input =
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, height, width, 3)));
      Operand<TFloat32> resized =
          tf.image.resizeBilinear(
              input,
              tf.constant(new int[] {outHeight, outWidth}),
              org.tensorflow.op.image.ResizeBilinear.alignCorners(false),
              org.tensorflow.op.image.ResizeBilinear.halfPixelCenters(false));
      try (Session session = new Session(graph);
          TFloat32 value = TensorData.tensor(Shape.of(1, height, width, 3), image)) {
        expected = TensorData.fetch(session, resized, input, value);
      }
    }
    assertArrayEquals(
        expected, ResizeBilinear.resize(image, height, width, 3, outHeight, outWidth), 0f);
  }

  @Test
  void aWindowHoldsTheFullResizesValuesAtItsPlace() {
    float[] image = new float[9 * 13 * 3];
    Random random = new Random(5);
    for (int i = 0; i < image.length; i++) {
      image[i] = random.nextInt(256);
    }
    float[] full = ResizeBilinear.resize(image, 9, 13, 3, 20, 29);
    float[] window = ResizeBilinear.resizeWindow(image, 9, 13, 3, 20, 29, 4, 7, 11, 15);
    for (int y = 0; y < 11; y++) {
      for (int x = 0; x < 15; x++) {
        for (int c = 0; c < 3; c++) {
          assertEquals(full[((4 + y) * 29 + 7 + x) * 3 + c], window[(y * 15 + x) * 3 + c], 0f);
        }
      }
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> ResizeBilinear.resizeWindow(image, 9, 13, 3, 20, 29, 10, 0, 11, 15));
  }

  @Test
  void anOutputBeyondOneArrayIsRefusedWithItsSizeInsteadOfOverflowing() {
    // 50000 * 50000 * 3 overflows an int to a negative array size.
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ResizeBilinear.resize(new float[3], 1, 1, 3, 50000, 50000));
    assertTrue(e.getMessage().contains("7500000000 floats"), e.getMessage());
  }

  @Test
  void rejectsAnArrayThatDoesNotMatchTheSize() {
    assertThrows(
        IllegalArgumentException.class, () -> ResizeBilinear.resize(new float[5], 2, 2, 1, 3, 3));
    assertThrows(
        IllegalArgumentException.class, () -> ResizeBilinear.resize(new float[4], 2, 2, 1, 0, 3));
  }
}
