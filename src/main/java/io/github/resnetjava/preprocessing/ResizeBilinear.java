package io.github.resnetjava.preprocessing;

import io.github.resnetjava.layers.TensorShapes;

/**
 * TensorFlow's CPU {@code ResizeBilinear} kernel with {@code align_corners=false} and {@code
 * half_pixel_centers=false} (TF1 {@code tf.image.resize_images(method=BILINEAR)}), in Java with the
 * kernel's float32 arithmetic, so Java-side preprocessing reproduces the graph's values.
 *
 * <p>Output pixel {@code (y, x)} samples the input at {@code (y * scaleY, x * scaleX)} with {@code
 * scale = inSize / (float) outSize} (the "legacy" scaler: no half-pixel offset), between rows
 * {@code floor(in)} and {@code min(ceil(in), inSize - 1)}, weighted by {@code lerp = in -
 * floor(in)}: {@code top = tl + (tr - tl) * xLerp}, {@code bottom = bl + (br - bl) * xLerp}, {@code
 * out = top + (bottom - top) * yLerp}.
 */
public final class ResizeBilinear {
  // The JDK's own limit for array allocation (ArraysSupport.SOFT_MAX_ARRAY_LENGTH).
  private static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

  private ResizeBilinear() {}

  /**
   * Resizes one image.
   *
   * @param imageHwc {@code [height, width, channels]} row-major
   * @return {@code [outHeight, outWidth, channels]} row-major
   * @throws IllegalArgumentException if a size is not positive, the array length does not match, or
   *     the output would not fit in one Java array
   */
  public static float[] resize(
      float[] imageHwc, int height, int width, int channels, int outHeight, int outWidth) {
    return resizeWindow(
        imageHwc, height, width, channels, outHeight, outWidth, 0, 0, outHeight, outWidth);
  }

  /**
   * The {@code windowHeight x windowWidth} window at ({@code top}, {@code left}) of {@link
   * #resize}'s output, computed alone: each output pixel depends only on its own coordinates, so
   * the values equal the full resize's, float for float, without allocating the full output (a
   * resize followed by a central crop needs only the crop).
   *
   * @param imageHwc {@code [height, width, channels]} row-major
   * @return {@code [windowHeight, windowWidth, channels]} row-major
   * @throws IllegalArgumentException if a size is not positive, the window does not lie within
   *     {@code outHeight x outWidth}, the array length does not match, or the window would not fit
   *     in one Java array
   */
  public static float[] resizeWindow(
      float[] imageHwc,
      int height,
      int width,
      int channels,
      int outHeight,
      int outWidth,
      int top,
      int left,
      int windowHeight,
      int windowWidth) {
    TensorShapes.requirePositive("height", height);
    TensorShapes.requirePositive("width", width);
    TensorShapes.requirePositive("channels", channels);
    TensorShapes.requirePositive("outHeight", outHeight);
    TensorShapes.requirePositive("outWidth", outWidth);
    TensorShapes.requirePositive("windowHeight", windowHeight);
    TensorShapes.requirePositive("windowWidth", windowWidth);
    if (top < 0
        || left < 0
        || (long) top + windowHeight > outHeight
        || (long) left + windowWidth > outWidth) {
      throw new IllegalArgumentException(
          "The "
              + windowHeight
              + " x "
              + windowWidth
              + " window at ("
              + top
              + ", "
              + left
              + ") does not lie within the "
              + outHeight
              + " x "
              + outWidth
              + " output");
    }
    long inputLength = (long) height * width * channels;
    if (imageHwc == null || imageHwc.length != inputLength) {
      throw new IllegalArgumentException(
          "imageHwc must hold height * width * channels = "
              + inputLength
              + " floats; got "
              + (imageHwc == null ? "null" : imageHwc.length));
    }
    long outputLength = (long) windowHeight * windowWidth * channels;
    if (outputLength > MAX_ARRAY_LENGTH) {
      throw new IllegalArgumentException(
          "A "
              + windowHeight
              + " x "
              + windowWidth
              + " x "
              + channels
              + " output is "
              + outputLength
              + " floats, more than one Java array holds ("
              + MAX_ARRAY_LENGTH
              + "): resize to a"
              + " smaller size or compute a window of it");
    }
    Interpolation ys = Interpolation.of(height, outHeight, top, windowHeight);
    Interpolation xs = Interpolation.of(width, outWidth, left, windowWidth);
    float[] out = new float[(int) outputLength];
    int rowStride = width * channels;
    for (int y = 0; y < windowHeight; y++) {
      int topRow = ys.lower[y] * rowStride;
      int bottomRow = ys.upper[y] * rowStride;
      float yLerp = ys.lerp[y];
      for (int x = 0; x < windowWidth; x++) {
        int leftColumn = xs.lower[x] * channels;
        int rightColumn = xs.upper[x] * channels;
        float xLerp = xs.lerp[x];
        int o = (y * windowWidth + x) * channels;
        for (int c = 0; c < channels; c++) {
          float topLeft = imageHwc[topRow + leftColumn + c];
          float topRight = imageHwc[topRow + rightColumn + c];
          float bottomLeft = imageHwc[bottomRow + leftColumn + c];
          float bottomRight = imageHwc[bottomRow + rightColumn + c];
          float upper = topLeft + (topRight - topLeft) * xLerp;
          float lower = bottomLeft + (bottomRight - bottomLeft) * xLerp;
          out[o + c] = upper + (lower - upper) * yLerp;
        }
      }
    }
    return out;
  }

  /** TF's {@code compute_interpolation_weights} with the legacy scaler, for one axis. */
  private record Interpolation(int[] lower, int[] upper, float[] lerp) {
    /** Weights for outputs {@code first .. first + count - 1} of {@code outSize}. */
    static Interpolation of(int inSize, int outSize, int first, int count) {
      // TF's CalculateResizeScale without align_corners: in_size / static_cast<float>(out_size).
      float scale = (float) inSize / (float) outSize;
      int[] lower = new int[count];
      int[] upper = new int[count];
      float[] lerp = new float[count];
      for (int i = 0; i < count; i++) {
        float in = (first + i) * scale;
        float inFloor = (float) Math.floor(in);
        lower[i] = Math.max((int) inFloor, 0);
        upper[i] = Math.min((int) Math.ceil(in), inSize - 1);
        lerp[i] = in - inFloor;
      }
      return new Interpolation(lower, upper, lerp);
    }
  }
}
