package io.github.resnetjava.serving;

import io.github.resnetjava.export.ImagePreprocessing;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;

/**
 * The Java-side twin of the exported graph's {@code image_bytes} preprocessing ({@link
 * ImagePreprocessing}: the official TF ResNet's evaluation preprocessing): RGB pixels, {@link
 * ResizeBilinear} to {@link ImagePreprocessing#resizedSize}, central crop, channel-mean
 * subtraction. Its output is what the {@code serving_default} signature's {@code input} expects
 * for one image.
 *
 * <p>Pixels are read as TF's {@code decode_image(channels=3)} produces them: 8-bit grayscale is
 * replicated to three channels (Java's own gray-to-sRGB conversion would change the values) and
 * alpha is dropped. Other images go through {@link BufferedImage#getRGB}, which converts to sRGB.
 *
 * <p>Immutable and thread-safe.
 */
public final class ImagePreprocessor {
  private static final int CHANNELS = ImagePreprocessing.CHANNELS;

  private final ImagePreprocessing preprocessing;

  /** A preprocessor for the sizes of {@code preprocessing}. */
  public ImagePreprocessor(ImagePreprocessing preprocessing) {
    if (preprocessing == null) {
      throw new IllegalArgumentException("preprocessing must not be null");
    }
    this.preprocessing = preprocessing;
  }

  /** The sizes this preprocessor resizes and crops to. */
  public ImagePreprocessing preprocessing() {
    return preprocessing;
  }

  /**
   * Preprocesses one image.
   *
   * @return {@code [resizeDim, resizeDim, 3]} row-major (NHWC without the batch axis), RGB values
   *     0 to 255 interpolated, minus {@link ImagePreprocessing#CHANNEL_MEANS}
   */
  public float[] preprocess(BufferedImage image) {
    if (image == null) {
      throw new IllegalArgumentException("image must not be null");
    }
    int height = image.getHeight();
    int width = image.getWidth();
    int[] size = preprocessing.resizedSize(height, width);
    float[] resized = ResizeBilinear.resize(rgb(image), height, width, CHANNELS, size[0], size[1]);
    int side = preprocessing.resizeDim();
    int top = preprocessing.centralCropOffset(size[0]);
    int left = preprocessing.centralCropOffset(size[1]);
    float[] out = new float[side * side * CHANNELS];
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        int from = ((top + y) * size[1] + left + x) * CHANNELS;
        int to = (y * side + x) * CHANNELS;
        for (int c = 0; c < CHANNELS; c++) {
          out[to + c] = resized[from + c] - ImagePreprocessing.channelMean(c);
        }
      }
    }
    return out;
  }

  /**
   * The image's pixels as TF's {@code decode_image(channels=3)} gives them, as floats.
   *
   * @return {@code [height, width, 3]} row-major, values 0 to 255
   */
  public static float[] rgb(BufferedImage image) {
    int height = image.getHeight();
    int width = image.getWidth();
    float[] out = new float[height * width * CHANNELS];
    if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
      Raster raster = image.getRaster();
      int[] gray = raster.getSamples(0, 0, width, height, 0, new int[height * width]);
      for (int i = 0; i < gray.length; i++) {
        out[i * CHANNELS] = gray[i];
        out[i * CHANNELS + 1] = gray[i];
        out[i * CHANNELS + 2] = gray[i];
      }
      return out;
    }
    int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
    for (int i = 0; i < argb.length; i++) {
      out[i * CHANNELS] = (argb[i] >> 16) & 0xff;
      out[i * CHANNELS + 1] = (argb[i] >> 8) & 0xff;
      out[i * CHANNELS + 2] = argb[i] & 0xff;
    }
    return out;
  }
}
