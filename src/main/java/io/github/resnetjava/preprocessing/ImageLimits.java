package io.github.resnetjava.preprocessing;

import java.util.Locale;

/**
 * The largest images a {@code serving.Classifier} and an {@link ImagePreprocessor} decode: a cap on
 * pixels (width times height) and on the aspect ratio (longer side over shorter side). Both are
 * checked from the image header (or the {@code BufferedImage}'s size) before any pixel is decoded
 * or copied, so a decompression bomb (a small file of a huge image) or a 1 x 10000 strip, which the
 * aspect-preserving resize would blow up to {@code minAspectDim x 10000 * minAspectDim}, is refused
 * with an {@link ImageRejectedException} instead of exhausting memory.
 *
 * <p>TF's own decoders have no such caps (TF Serving relies on request size limits, which a
 * compressed image defeats); the defaults, {@value #DEFAULT_MAX_PIXELS} pixels and {@value
 * #DEFAULT_MAX_ASPECT_RATIO}:1, admit every photo camera format and panorama up to 20:1.
 *
 * @param maxPixels the most pixels an image may have, {@code >= 1}
 * @param maxAspectRatio the largest {@code max(width, height) / min(width, height)}, {@code >= 1}
 */
public record ImageLimits(long maxPixels, double maxAspectRatio) {
  /** The default pixel cap: 40 megapixels. */
  public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

  /** The default aspect-ratio cap: 20:1. */
  public static final double DEFAULT_MAX_ASPECT_RATIO = 20.0;

  /**
   * @throws IllegalArgumentException for a cap below 1 (or a NaN ratio)
   */
  public ImageLimits {
    if (maxPixels < 1) {
      throw new IllegalArgumentException("maxPixels must be >= 1; got " + maxPixels);
    }
    if (!(maxAspectRatio >= 1.0)) {
      throw new IllegalArgumentException(
          "maxAspectRatio must be >= 1 (longer side over shorter side); got " + maxAspectRatio);
    }
  }

  /** {@value #DEFAULT_MAX_PIXELS} pixels and {@value #DEFAULT_MAX_ASPECT_RATIO}:1. */
  public static ImageLimits defaults() {
    return new ImageLimits(DEFAULT_MAX_PIXELS, DEFAULT_MAX_ASPECT_RATIO);
  }

  /** These limits with another pixel cap. */
  public ImageLimits withMaxPixels(long maxPixels) {
    return new ImageLimits(maxPixels, maxAspectRatio);
  }

  /** These limits with another aspect-ratio cap. */
  public ImageLimits withMaxAspectRatio(double maxAspectRatio) {
    return new ImageLimits(maxPixels, maxAspectRatio);
  }

  /**
   * Refuses an image of {@code width x height} that breaks a limit.
   *
   * @param image names the image in the message, such as {@code "Encoded image 2 (PNG)"}
   * @throws ImageRejectedException naming the size, the limit broken and how to change it
   */
  public void check(String image, int width, int height) {
    if (width < 1 || height < 1) {
      throw new ImageRejectedException(
          image + " is " + width + " x " + height + " pixels: both sides must be >= 1");
    }
    long pixels = (long) width * height;
    if (pixels > maxPixels) {
      throw new ImageRejectedException(
          image
              + " is "
              + width
              + " x "
              + height
              + " = "
              + pixels
              + " pixels, over the limit of "
              + maxPixels
              + " pixels (ImageLimits.maxPixels): downscale it before classifying, or"
              + " load the Classifier with higher ImageLimits");
    }
    double ratio = (double) Math.max(width, height) / Math.min(width, height);
    if (ratio > maxAspectRatio) {
      throw new ImageRejectedException(
          image
              + " is "
              + width
              + " x "
              + height
              + " pixels, an aspect ratio of "
              + String.format(Locale.ROOT, "%.1f", ratio)
              + ":1, over the limit of "
              + maxAspectRatio
              + ":1 (ImageLimits.maxAspectRatio): crop it before classifying,"
              + " or load the Classifier with higher ImageLimits");
    }
  }
}
