package io.github.resnetjava.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.resnetjava.testing.ImageBytesGraph;
import io.github.resnetjava.testing.TestImages;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.exceptions.TFInvalidArgumentException;

/** The in-graph image_bytes preprocessing alone, on images whose result is known by hand. */
class ImageBytesPreprocessingTest {
  private static final int MIN_ASPECT = 40;
  private static final int SIDE = 32;
  private static final float[] MEANS = {123.68f, 116.78f, 103.94f};

  private static ImageBytesGraph graph;

  @BeforeAll
  static void buildGraph() {
    graph = new ImageBytesGraph(new ImagePreprocessing(MIN_ASPECT, SIDE));
  }

  @AfterAll
  static void close() {
    graph.close();
  }

  private static float[] preprocess(byte[]... files) {
    return graph.run(files);
  }

  @Test
  void outputShapeIsStaticallyKnownExceptTheBatch() {
    assertArrayEquals(new long[] {-1, SIDE, SIDE, 3}, graph.images().shape().asArray());
  }

  @Test
  void aSolidImageOfAnyShapeBecomesItsColourMinusTheChannelMeans() {
    int r = 200;
    int g = 100;
    int b = 7;
    float[] out =
        preprocess(TestImages.encode(TestImages.solid(53, 37, (r << 16) | (g << 8) | b), "png"));
    for (int i = 0; i < out.length; i += 3) {
      assertEquals(r - MEANS[0], out[i], 0f);
      assertEquals(g - MEANS[1], out[i + 1], 0f);
      assertEquals(b - MEANS[2], out[i + 2], 0f);
    }
  }

  @Test
  void anImageAlreadyAtMinAspectDimIsOnlyCroppedCentrally() {
    // 45 wide, 40 high: the resize keeps 40 x 45, the crop starts at row (40-32)/2 = 4 and
    // column (45-32)/2 = 6.
    BufferedImage image = TestImages.pattern(45, 40, BufferedImage.TYPE_INT_RGB, 3);
    float[] out = preprocess(TestImages.encode(image, "png"));
    float[] expected = new float[SIDE * SIDE * 3];
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        int rgb = image.getRGB(6 + x, 4 + y);
        int o = (y * SIDE + x) * 3;
        expected[o] = ((rgb >> 16) & 0xff) - MEANS[0];
        expected[o + 1] = ((rgb >> 8) & 0xff) - MEANS[1];
        expected[o + 2] = (rgb & 0xff) - MEANS[2];
      }
    }
    assertArrayEquals(expected, out, 0f);
  }

  @Test
  void aBatchMixesFormatsAndSizesAndEachImageIsPreprocessedAlone() {
    byte[] png =
        TestImages.encode(TestImages.pattern(53, 37, BufferedImage.TYPE_INT_RGB, 1), "png");
    byte[] jpeg =
        TestImages.encode(TestImages.pattern(61, 90, BufferedImage.TYPE_INT_RGB, 2), "jpg");
    byte[] bmp =
        TestImages.encode(TestImages.pattern(40, 41, BufferedImage.TYPE_INT_RGB, 3), "bmp");
    float[] batch = preprocess(png, jpeg, bmp);
    int size = SIDE * SIDE * 3;
    List<byte[]> files = List.of(png, jpeg, bmp);
    for (int i = 0; i < files.size(); i++) {
      assertArrayEquals(
          preprocess(files.get(i)),
          Arrays.copyOfRange(batch, i * size, (i + 1) * size),
          0f,
          "image " + i);
    }
  }

  @Test
  void aShorterSideThatFloat32RoundsDownStillFillsTheCrop() {
    // 41 px at 32: the official float32 formula gives 31, one short of a 32 x 32 crop.
    byte[] png =
        TestImages.encode(TestImages.pattern(100, 41, BufferedImage.TYPE_INT_RGB, 4), "png");
    try (ImageBytesGraph square = new ImageBytesGraph(new ImagePreprocessing(32, 32))) {
      assertEquals(32 * 32 * 3, square.run(png).length, "run checks the shape [1, 32, 32, 3]");
    }
  }

  @Test
  void bytesThatAreNoImageFailInTensorFlow() {
    // TF Java reports INVALID_ARGUMENT as an IllegalArgumentException, not a TensorFlowException.
    assertThrows(TFInvalidArgumentException.class, () -> preprocess("not an image".getBytes()));
  }
}
