package io.github.resnetjava.preprocessing;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;

/**
 * The Java-side twin of the exported graph's {@code image_bytes} preprocessing ({@link
 * ImagePreprocessing}: the official TF ResNet's evaluation preprocessing): RGB pixels, {@link
 * ResizeBilinear} to {@link ImagePreprocessing#resizedSize}, central crop, channel-mean
 * subtraction. Its output is what the {@code serving_default} signature's {@code input} expects for
 * one image. Only the crop of the resize is computed ({@link ResizeBilinear#resizeWindow}), with
 * the same values as resizing everything and cropping.
 *
 * <p>Pixels are read as TF's {@code decode_image(channels=3)} produces them from the same file (see
 * {@link #rgb}). Images over the {@link ImageLimits} are refused before any pixel is copied.
 *
 * <p>Immutable and thread-safe.
 */
public final class ImagePreprocessor {
  private static final int CHANNELS = ImagePreprocessing.CHANNELS;
  // The JDK's own limit for array allocation (ArraysSupport.SOFT_MAX_ARRAY_LENGTH).
  private static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

  private final ImagePreprocessing preprocessing;
  private final ImageLimits limits;

  /** A preprocessor for the sizes of {@code preprocessing}, with {@link ImageLimits#defaults()}. */
  public ImagePreprocessor(ImagePreprocessing preprocessing) {
    this(preprocessing, ImageLimits.defaults());
  }

  /**
   * A preprocessor for the sizes of {@code preprocessing} that refuses images over {@code limits}.
   */
  public ImagePreprocessor(ImagePreprocessing preprocessing, ImageLimits limits) {
    if (preprocessing == null) {
      throw new IllegalArgumentException("preprocessing must not be null");
    }
    if (limits == null) {
      throw new IllegalArgumentException("limits must not be null; use ImageLimits.defaults()");
    }
    this.preprocessing = preprocessing;
    this.limits = limits;
  }

  /** The sizes this preprocessor resizes and crops to. */
  public ImagePreprocessing preprocessing() {
    return preprocessing;
  }

  /** The largest images this preprocessor accepts. */
  public ImageLimits limits() {
    return limits;
  }

  /**
   * Preprocesses one image.
   *
   * @return {@code [resizeDim, resizeDim, 3]} row-major (NHWC without the batch axis), RGB values 0
   *     to 255 interpolated, minus {@link ImagePreprocessing#CHANNEL_MEANS}
   * @throws ImageRejectedException if the image is over the {@link #limits()}
   */
  public float[] preprocess(BufferedImage image) {
    if (image == null) {
      throw new IllegalArgumentException("image must not be null");
    }
    int height = image.getHeight();
    int width = image.getWidth();
    limits.check("The image", width, height);
    int[] size = preprocessing.resizedSize(height, width);
    int side = preprocessing.resizeDim();
    float[] out =
        ResizeBilinear.resizeWindow(
            rgb(image),
            height,
            width,
            CHANNELS,
            size[0],
            size[1],
            preprocessing.centralCropOffset(size[0]),
            preprocessing.centralCropOffset(size[1]),
            side,
            side);
    for (int i = 0; i < out.length; i++) {
      out[i] -= ImagePreprocessing.channelMean(i % CHANNELS);
    }
    return out;
  }

  /**
   * The image's pixels as TF's {@code decode_image(channels=3)} gives them for the file the image
   * was read from, as floats. TF's decoders convert no colours: gray (with or without alpha) is
   * replicated to three channels, alpha is dropped, 16-bit samples keep their high byte ({@code
   * png_set_strip_16}), and no ICC profile or gamma applies. So gray and RGB images with 8 or 16
   * bits per sample (what ImageIO reads from PNG and JPEG files) are read from the raster as they
   * are, not through {@link BufferedImage#getRGB}, whose conversion to sRGB changes gray values;
   * other images (palettes, packed or premultiplied pixels) go through {@code getRGB}.
   *
   * @return {@code [height, width, 3]} row-major, values 0 to 255
   * @throws IllegalArgumentException if the image has more pixels than one array can hold
   */
  public static float[] rgb(BufferedImage image) {
    int height = image.getHeight();
    int width = image.getWidth();
    long length = (long) height * width * CHANNELS;
    if (length > MAX_ARRAY_LENGTH) {
      throw new IllegalArgumentException(
          "A "
              + width
              + " x "
              + height
              + " image has "
              + length
              + " RGB values, more than one Java"
              + " array holds ("
              + MAX_ARRAY_LENGTH
              + "): downscale it first");
    }
    float[] out = new float[(int) length];
    ColorModel model = image.getColorModel();
    int sampleBits = rawSampleBits(model);
    if (sampleBits > 0) {
      copyRawSamples(
          image.getRaster(),
          model.getColorSpace().getType() == ColorSpace.TYPE_GRAY,
          sampleBits - 8,
          out);
    } else {
      int[] row = new int[width];
      for (int y = 0; y < height; y++) {
        image.getRGB(0, y, width, 1, row, 0, width);
        for (int x = 0; x < width; x++) {
          int o = (y * width + x) * CHANNELS;
          out[o] = (row[x] >> 16) & 0xff;
          out[o + 1] = (row[x] >> 8) & 0xff;
          out[o + 2] = row[x] & 0xff;
        }
      }
    }
    return out;
  }

  /**
   * The bits per sample when the image's raster holds plain gray or RGB samples (plus an
   * unpremultiplied alpha) of 8 or 16 bits, all alike; 0 otherwise.
   */
  private static int rawSampleBits(ColorModel model) {
    if (!(model instanceof ComponentColorModel) || model.isAlphaPremultiplied()) {
      return 0;
    }
    int type = model.getColorSpace().getType();
    if (type != ColorSpace.TYPE_GRAY && type != ColorSpace.TYPE_RGB) {
      return 0;
    }
    int bits = model.getComponentSize(0);
    for (int size : model.getComponentSize()) {
      if (size != bits) {
        return 0;
      }
    }
    return bits == 8 || bits == 16 ? bits : 0;
  }

  private static void copyRawSamples(Raster raster, boolean gray, int shift, float[] out) {
    int width = raster.getWidth();
    int bands = raster.getNumBands();
    int[] row = new int[width * bands];
    for (int y = 0; y < raster.getHeight(); y++) {
      raster.getPixels(raster.getMinX(), raster.getMinY() + y, width, 1, row);
      for (int x = 0; x < width; x++) {
        int o = (y * width + x) * CHANNELS;
        for (int c = 0; c < CHANNELS; c++) {
          out[o + c] = row[x * bands + (gray ? 0 : c)] >> shift;
        }
      }
    }
  }
}
