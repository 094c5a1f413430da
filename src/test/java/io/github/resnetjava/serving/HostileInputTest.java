package io.github.resnetjava.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resnetjava.export.SavedModelExporter;
import io.github.resnetjava.model.DataFormat;
import io.github.resnetjava.preprocessing.ImageLimits;
import io.github.resnetjava.testing.HostileImages;
import io.github.resnetjava.testing.ProcessMemory;
import io.github.resnetjava.testing.ServingFixture;
import io.github.resnetjava.testing.TestImages;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs an untrusted client can send a serving Classifier: decompression bombs, extreme aspect
 * ratios, animated GIFs, non-finite pixels. Each is refused with a message naming the limit, before
 * anything large is allocated, and the classifier keeps answering.
 */
class HostileInputTest {
  private static final int PIXELS = ServingFixture.RESIZE_DIM * ServingFixture.RESIZE_DIM * 3;
  // What the issue allows a refusal to cost; decoding the bombs below costs far more (before
  // these checks: 1220 MiB peak for the 20000 x 20000 PNG, 744 MiB for the 7000 x 7000 image).
  private static final long MAX_PEAK_GROWTH_KIB = 200 * 1024;

  @TempDir static Path modelsDir;

  private static Path version1;
  private static Classifier classifier;

  @BeforeAll
  static void exportModel() {
    try (ServingFixture fixture = ServingFixture.create(DataFormat.CHANNELS_LAST)) {
      fixture.setLogitsBias(new float[] {0.5f, -1f, 2f, 0f, 1.5f, -0.25f, 3f});
      version1 =
          SavedModelExporter.into(modelsDir, "resnet").export(fixture.session, fixture.serving, 1);
    }
    classifier = Classifier.load(version1);
  }

  @AfterAll
  static void close() {
    classifier.close();
  }

  /** Runs {@code call}, which must be refused for {@code reason} within the memory bound. */
  private static void assertRefusedCheaply(Executable call, String reason) {
    long before = ProcessMemory.rssKib();
    ProcessMemory.resetPeak();
    InvalidInputException e = assertThrows(InvalidInputException.class, call);
    long growth = ProcessMemory.peakRssKib() - before;
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    assertTrue(growth < MAX_PEAK_GROWTH_KIB, "peak RSS grew by " + growth + " KiB");
  }

  private static List<Prediction> reference() {
    return classifier.classifyEncoded(
        TestImages.encode(TestImages.pattern(50, 40, BufferedImage.TYPE_INT_RGB, 3), "png"), 3);
  }

  @Test
  void aPngBombIsRefusedFromItsHeaderBeforeTensorFlowDecodesIt() {
    byte[] bomb = HostileImages.pngBomb(20000, 20000);
    assertTrue(bomb.length < 100_000, "bomb of " + bomb.length + " bytes");
    List<Prediction> expected = reference();
    assertRefusedCheaply(
        () -> classifier.classifyEncoded(bomb, 1),
        "Encoded image 0 (PNG) is 20000 x 20000 = 400000000 pixels, over the limit of 40000000");
    byte[] small = TestImages.encode(TestImages.solid(8, 8, 0), "png");
    assertRefusedCheaply(
        () -> classifier.classifyEncoded(List.of(small, bomb), 1),
        "Encoded image 1 (PNG) is 20000 x 20000");
    assertEquals(expected, reference());
  }

  @Test
  void aThinStripIsRefusedForItsAspectRatioInEveryFormat() {
    // The graph would resize 1 x 10000 to 40 x 400000 before cropping (with the official sizes
    // 256 x 2,560,000); the Java side would copy it all first.
    BufferedImage strip = TestImages.pattern(10000, 1, BufferedImage.TYPE_INT_RGB, 1);
    for (String format : List.of("png", "bmp", "jpg", "gif")) {
      byte[] file = TestImages.encode(strip, format);
      assertRefusedCheaply(
          () -> classifier.classifyEncoded(file, 1),
          "is 10000 x 1 pixels, an aspect ratio of 10000.0:1, over the limit of 20.0:1");
    }
    assertRefusedCheaply(() -> classifier.classify(strip, 1), "an aspect ratio of 10000.0:1");
  }

  @Test
  void aDecodedImageOverThePixelCapIsRefusedBeforeItsPixelsAreCopied() {
    // 7000 x 7000 one-bit pixels hold 6 MB; copied as floats they would be 588 MB.
    BufferedImage large = new BufferedImage(7000, 7000, BufferedImage.TYPE_BYTE_BINARY);
    assertRefusedCheaply(
        () -> classifier.classify(large, 1), "The image is 7000 x 7000 = 49000000 pixels");
  }

  @Test
  void limitsSetAtLoadApplyToBothPaths() {
    ImageLimits limits = new ImageLimits(10_000, 2);
    BufferedImage wide = TestImages.pattern(150, 60, BufferedImage.TYPE_INT_RGB, 5);
    BufferedImage big = TestImages.pattern(120, 90, BufferedImage.TYPE_INT_RGB, 6);
    BufferedImage fits = TestImages.pattern(100, 90, BufferedImage.TYPE_INT_RGB, 7);
    try (Classifier capped = Classifier.load(version1, SessionConfig.defaults(), limits)) {
      assertEquals(limits, capped.imageLimits());
      assertRefusedCheaply(() -> capped.classify(wide, 1), "over the limit of 2.0:1");
      assertRefusedCheaply(
          () -> capped.classifyEncoded(TestImages.encode(big, "png"), 1),
          "10800 pixels, over the limit of 10000 pixels");
      assertEquals(classifier.classify(fits, 2), capped.classify(fits, 2));
      byte[] png = TestImages.encode(fits, "png");
      assertEquals(classifier.classifyEncoded(png, 2), capped.classifyEncoded(png, 2));
    }
    assertEquals(ImageLimits.defaults(), classifier.imageLimits());
  }

  @Test
  void onlyTheFirstFrameOfAGifIsDecoded() {
    BufferedImage first = TestImages.pattern(44, 40, BufferedImage.TYPE_INT_RGB, 8);
    BufferedImage later = TestImages.pattern(600, 500, BufferedImage.TYPE_INT_RGB, 9);
    byte[] animated = HostileImages.gif(first, later, later);
    byte[] still = HostileImages.gif(first);
    // TF's decoder would slurp all three frames and paint the first on a 600 x 500 canvas.
    List<Prediction> fromStill = classifier.classifyEncoded(still, 7);
    assertEquals(fromStill, classifier.classifyEncoded(animated, 7));
    assertEquals(classifier.classify(TestImages.decode(animated), 7), fromStill);
  }

  @Test
  void otherFormatsAndUnreadableHeadersAreRefusedInJava() {
    byte[] text = "not an image".getBytes(StandardCharsets.US_ASCII);
    assertRefusedCheaply(
        () -> classifier.classifyEncoded(text, 1),
        "Encoded image 0: The image file is not a JPEG, PNG, GIF or BMP file: it starts with bytes"
            + " 6e 6f 74 20 61 6e 20 69");
    byte[] png = TestImages.encode(TestImages.solid(8, 8, 0), "png");
    assertRefusedCheaply(
        () -> classifier.classifyEncoded(Arrays.copyOf(png, 12), 1),
        "Encoded image 0: The PNG file's header cannot be read");
    byte[] gif = HostileImages.gif(TestImages.solid(8, 8, 0));
    assertRefusedCheaply(
        () -> classifier.classifyEncoded(Arrays.copyOf(gif, 20), 1),
        "Encoded image 0: The GIF file cannot be read: it is truncated");
  }

  @Test
  void nanAndInfinitePixelsAreRefusedInsteadOfClassified() {
    // Before this check a NaN pixel was classified: ReLU maps NaN to 0 on oneDNN, so the answer
    // looked valid.
    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
      float[] images = ServingFixture.images(2, 4);
      images[PIXELS + 17] = bad;
      InvalidInputException e =
          assertThrows(InvalidInputException.class, () -> classifier.classify(images, 2, 3));
      assertTrue(
          e.getMessage().contains("holds " + bad + " at index " + (PIXELS + 17) + " (image 1)"),
          e.getMessage());
      FloatBuffer buffer = FloatBuffer.allocate(PIXELS + 1).put(images, PIXELS - 1, PIXELS + 1);
      buffer.position(1);
      assertThrows(InvalidInputException.class, () -> classifier.classify(buffer, 1, 3));
    }
  }

  @Test
  void aModelGivingNonFiniteProbabilitiesIsReportedInsteadOfRanked(@TempDir Path dir) {
    // A model whose weights went NaN in training: TopK would rank NaN and return classes 0..k-1.
    Path broken;
    try (ServingFixture fixture = ServingFixture.create(DataFormat.CHANNELS_LAST)) {
      fixture.setLogitsBias(new float[] {0f, Float.NaN, 0f, 0f, 0f, 0f, 0f});
      broken = SavedModelExporter.into(dir, "broken").export(fixture.session, fixture.serving, 1);
    }
    try (Classifier nan = Classifier.load(broken)) {
      InvalidInputException e =
          assertThrows(
              InvalidInputException.class, () -> nan.classify(ServingFixture.images(1, 5), 1, 3));
      assertTrue(
          e.getMessage().contains("The model's probabilities for image 0 are not finite"),
          e.getMessage());
    }
  }
}
