package io.github.resnetjava.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resnetjava.testing.HostileImages;
import io.github.resnetjava.testing.ImageBytesGraph;
import io.github.resnetjava.testing.TestImages;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.image.DecodeImage;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;

/** Java-side preprocessing against the in-graph image_bytes preprocessing of the same file. */
class ImagePreprocessorTest {
  private static final ImagePreprocessing SIZES = new ImagePreprocessing(40, 32);
  private static final ImagePreprocessor PREPROCESSOR = new ImagePreprocessor(SIZES);

  private static ImageBytesGraph graph;

  @BeforeAll
  static void buildGraph() {
    graph = new ImageBytesGraph(SIZES);
  }

  @AfterAll
  static void close() {
    graph.close();
  }

  private static float[] inGraph(byte[] file) {
    return graph.run(file);
  }

  @ParameterizedTest(name = "{0}x{1}")
  @CsvSource({"53, 37", "37, 61", "100, 41", "45, 40", "33, 129", "17, 23"})
  void pngMatchesTheGraphExactly(int width, int height) {
    BufferedImage image =
        TestImages.pattern(width, height, BufferedImage.TYPE_INT_RGB, width * 7L + height);
    byte[] png = TestImages.encode(image, "png");
    // PNG is lossless, so both sides start from the same pixels; the resize arithmetic is TF's.
    assertArrayEquals(inGraph(png), PREPROCESSOR.preprocess(TestImages.decode(png)), 0f);
  }

  @Test
  void grayscalePngIsReplicatedToThreeChannelsAsTensorFlowDecodesIt() {
    BufferedImage gray = TestImages.pattern(47, 59, BufferedImage.TYPE_BYTE_GRAY, 5);
    byte[] png = TestImages.encode(gray, "png");
    BufferedImage decoded = TestImages.decode(png);
    assertEquals(BufferedImage.TYPE_BYTE_GRAY, decoded.getType());
    assertArrayEquals(inGraph(png), PREPROCESSOR.preprocess(decoded), 0f);
  }

  @ParameterizedTest(name = "{0} samples of {1} bits")
  @CsvSource({"1, 16", "2, 8", "2, 16", "3, 16", "4, 8", "4, 16"})
  void pngsOfEverySampleLayoutMatchTheGraphExactly(int bands, int bits) {
    // TF converts no colours: gray is replicated, alpha dropped, 16-bit samples keep their high
    // byte. ImageIO's getRGB would convert gray through sRGB and round 16-bit samples.
    BufferedImage image = HostileImages.samples(45, 52, bands, bits, bands * 100L + bits);
    byte[] png = TestImages.encode(image, "png");
    assertArrayEquals(inGraph(png), PREPROCESSOR.preprocess(TestImages.decode(png)), 0f);
  }

  @Test
  void aLongStripGivesTheGraphsValuesThoughOnlyItsCropIsResized() {
    ImagePreprocessor wide =
        new ImagePreprocessor(SIZES, ImageLimits.defaults().withMaxAspectRatio(1000));
    byte[] png =
        TestImages.encode(TestImages.pattern(2000, 3, BufferedImage.TYPE_INT_RGB, 4), "png");
    assertArrayEquals(inGraph(png), wide.preprocess(TestImages.decode(png)), 0f);
  }

  @Test
  void aStripWhoseFullResizeWouldOverflowAnArrayIsPreprocessedFromItsCrop() {
    // The official sizes resize 1 x 20000 to 256 x 5,120,000 x 3 floats: more than an int counts.
    ImagePreprocessor official =
        new ImagePreprocessor(
            new ImagePreprocessing(256, 224), ImageLimits.defaults().withMaxAspectRatio(20000));
    float[] out = official.preprocess(TestImages.solid(20000, 1, 0x336699));
    assertEquals(224 * 224 * 3, out.length);
    float[] expected = {0x33 - 123.68f, 0x66 - 116.78f, 0x99 - 103.94f};
    for (int i = 0; i < out.length; i++) {
      assertEquals(expected[i % 3], out[i], 0f, "value " + i);
    }
  }

  @Test
  void imagesOverTheLimitsAreRefusedBeforeAnyPixelIsRead() {
    ImagePreprocessor capped = new ImagePreprocessor(SIZES, new ImageLimits(10_000, 3));
    assertRefused(capped, 101, 100, "10100 pixels, over the limit of 10000 pixels");
    assertRefused(capped, 20000, 20000, "400000000 pixels, over the limit of 10000 pixels");
    assertRefused(capped, 31, 10, "aspect ratio of 3.1:1, over the limit of 3.0:1");
    assertRefused(PREPROCESSOR, 1, 21, "aspect ratio of 21.0:1, over the limit of 20.0:1");
    assertEquals(32 * 32 * 3, capped.preprocess(TestImages.solid(30, 10, 0)).length);
    assertEquals(32 * 32 * 3, PREPROCESSOR.preprocess(TestImages.solid(1, 20, 0)).length);
  }

  /** An image that reports {@code width x height} but fails if its pixels are read. */
  private static void assertRefused(
      ImagePreprocessor preprocessor, int width, int height, String reason) {
    BufferedImage unreadable =
        new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB) {
          @Override
          public int getWidth() {
            return width;
          }

          @Override
          public int getHeight() {
            return height;
          }

          @Override
          public WritableRaster getRaster() {
            throw new AssertionError("pixels read");
          }

          @Override
          public int[] getRGB(int x, int y, int w, int h, int[] rgb, int offset, int scan) {
            throw new AssertionError("pixels read");
          }
        };
    ImageRejectedException e =
        assertThrows(ImageRejectedException.class, () -> preprocessor.preprocess(unreadable));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  @ParameterizedTest(name = "{0}x{1}")
  @CsvSource({"53, 37", "61, 90", "40, 41"})
  void jpegDecodedByTensorFlowMatchesTheGraphExactly(int width, int height) {
    byte[] jpeg = jpeg(width, height);
    assertArrayEquals(inGraph(jpeg), PREPROCESSOR.preprocess(decodeWithTensorFlow(jpeg)), 0f);
  }

  @ParameterizedTest(name = "{0}x{1}")
  @CsvSource({"53, 37", "61, 90", "40, 41"})
  void jpegDecodedByImageIoMatchesTheGraphUpToDecoderDifferences(int width, int height) {
    byte[] jpeg = jpeg(width, height);
    float[] graphSide = inGraph(jpeg);
    float[] javaSide = PREPROCESSOR.preprocess(TestImages.decode(jpeg));
    // The decoders differ, not the preprocessing (see the test above): ImageIO's YCbCr-to-RGB
    // conversion is off by up to 2 levels from libjpeg-turbo's (a solid (200, 100, 7) JPEG decodes
    // to red 200 in TF and 202 in ImageIO); the resize averages, it does not amplify.
    double sum = 0;
    float max = 0;
    for (int i = 0; i < graphSide.length; i++) {
      float diff = Math.abs(graphSide[i] - javaSide[i]);
      sum += diff;
      max = Math.max(max, diff);
    }
    assertTrue(max <= 4f, "largest difference " + max + " of 255");
    assertTrue(sum / graphSide.length <= 1.5, "mean difference " + sum / graphSide.length);
  }

  private static byte[] jpeg(int width, int height) {
    return TestImages.encode(
        TestImages.pattern(width, height, BufferedImage.TYPE_INT_RGB, width * 3L + height), "jpg");
  }

  /** {@code file} decoded by TF's {@code decode_image(channels=3)} into a BufferedImage. */
  private static BufferedImage decodeWithTensorFlow(byte[] file) {
    try (Graph decodeGraph = new Graph()) {
      Ops tf = Ops.create(decodeGraph);
      Placeholder<TString> input = tf.placeholder(TString.class, Placeholder.shape(Shape.scalar()));
      Operand<TUint8> rgb = tf.image.decodeImage(input, TUint8.class, DecodeImage.channels(3L));
      try (Session decodeSession = new Session(decodeGraph);
          TString value = TString.tensorOfBytes(NdArrays.scalarOfObject(file));
          Result result = decodeSession.runner().feed(input, value).fetch(rgb).run()) {
        TUint8 pixels = (TUint8) result.get(0);
        int height = (int) pixels.shape().get(0);
        int width = (int) pixels.shape().get(1);
        byte[] values = new byte[height * width * 3];
        pixels.copyTo(DataBuffers.of(values));
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < height * width; i++) {
          int rgbValue =
              (values[3 * i] & 0xff) << 16
                  | (values[3 * i + 1] & 0xff) << 8
                  | (values[3 * i + 2] & 0xff);
          image.setRGB(i % width, i / width, rgbValue);
        }
        return image;
      }
    }
  }

  @Test
  void anImageAlreadyAtMinAspectDimIsOnlyCroppedAndCentred() {
    // 40 high, 44 wide: no resize; the crop starts at row 4 and column 6.
    BufferedImage image = TestImages.pattern(44, 40, BufferedImage.TYPE_INT_RGB, 8);
    float[] out = PREPROCESSOR.preprocess(image);
    int rgb = image.getRGB(6 + 5, 4 + 3);
    int o = (3 * 32 + 5) * 3;
    assertEquals(((rgb >> 16) & 0xff) - 123.68f, out[o], 0f);
    assertEquals(((rgb >> 8) & 0xff) - 116.78f, out[o + 1], 0f);
    assertEquals((rgb & 0xff) - 103.94f, out[o + 2], 0f);
    assertEquals(32 * 32 * 3, out.length);
  }

  @Test
  void rejectsNull() {
    assertThrows(IllegalArgumentException.class, () -> PREPROCESSOR.preprocess(null));
    assertThrows(IllegalArgumentException.class, () -> new ImagePreprocessor(null));
  }
}
