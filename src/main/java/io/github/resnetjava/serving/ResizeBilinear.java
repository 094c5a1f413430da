package io.github.resnetjava.serving;

import io.github.resnetjava.layers.TensorShapes;

/**
 * TensorFlow's CPU {@code ResizeBilinear} kernel with {@code align_corners=false} and {@code
 * half_pixel_centers=false} (TF1 {@code tf.image.resize_images(method=BILINEAR)}), in Java with
 * the kernel's float32 arithmetic, so Java-side preprocessing reproduces the graph's values.
 *
 * <p>Output pixel {@code (y, x)} samples the input at {@code (y * scaleY, x * scaleX)} with {@code
 * scale = inSize / (float) outSize} (the "legacy" scaler: no half-pixel offset), between rows
 * {@code floor(in)} and {@code min(ceil(in), inSize - 1)}, weighted by {@code lerp = in -
 * floor(in)}: {@code top = tl + (tr - tl) * xLerp}, {@code bottom = bl + (br - bl) * xLerp},
 * {@code out = top + (bottom - top) * yLerp}.
 */
public final class ResizeBilinear {
  private ResizeBilinear() {}

  /**
   * Resizes one image.
   *
   * @param imageHwc {@code [height, width, channels]} row-major
   * @return {@code [outHeight, outWidth, channels]} row-major
   * @throws IllegalArgumentException if a size is not positive or the array length does not match
   */
  public static float[] resize(
      float[] imageHwc, int height, int width, int channels, int outHeight, int outWidth) {
    TensorShapes.requirePositive("height", height);
    TensorShapes.requirePositive("width", width);
    TensorShapes.requirePositive("channels", channels);
    TensorShapes.requirePositive("outHeight", outHeight);
    TensorShapes.requirePositive("outWidth", outWidth);
    if (imageHwc == null || imageHwc.length != (long) height * width * channels) {
      throw new IllegalArgumentException(
          "imageHwc must hold height * width * channels = " + ((long) height * width * channels)
              + " floats; got " + (imageHwc == null ? "null" : imageHwc.length));
    }
    Interpolation ys = Interpolation.of(height, outHeight);
    Interpolation xs = Interpolation.of(width, outWidth);
    float[] out = new float[outHeight * outWidth * channels];
    int rowStride = width * channels;
    for (int y = 0; y < outHeight; y++) {
      int topRow = ys.lower[y] * rowStride;
      int bottomRow = ys.upper[y] * rowStride;
      float yLerp = ys.lerp[y];
      for (int x = 0; x < outWidth; x++) {
        int left = xs.lower[x] * channels;
        int right = xs.upper[x] * channels;
        float xLerp = xs.lerp[x];
        int o = (y * outWidth + x) * channels;
        for (int c = 0; c < channels; c++) {
          float topLeft = imageHwc[topRow + left + c];
          float topRight = imageHwc[topRow + right + c];
          float bottomLeft = imageHwc[bottomRow + left + c];
          float bottomRight = imageHwc[bottomRow + right + c];
          float top = topLeft + (topRight - topLeft) * xLerp;
          float bottom = bottomLeft + (bottomRight - bottomLeft) * xLerp;
          out[o + c] = top + (bottom - top) * yLerp;
        }
      }
    }
    return out;
  }

  /** TF's {@code compute_interpolation_weights} with the legacy scaler, for one axis. */
  private record Interpolation(int[] lower, int[] upper, float[] lerp) {
    static Interpolation of(int inSize, int outSize) {
      // TF's CalculateResizeScale without align_corners: in_size / static_cast<float>(out_size).
      float scale = (float) inSize / (float) outSize;
      int[] lower = new int[outSize];
      int[] upper = new int[outSize];
      float[] lerp = new float[outSize];
      for (int i = 0; i < outSize; i++) {
        float in = i * scale;
        float inFloor = (float) Math.floor(in);
        lower[i] = Math.max((int) inFloor, 0);
        upper[i] = Math.min((int) Math.ceil(in), inSize - 1);
        lerp[i] = in - inFloor;
      }
      return new Interpolation(lower, upper, lerp);
    }
  }
}
