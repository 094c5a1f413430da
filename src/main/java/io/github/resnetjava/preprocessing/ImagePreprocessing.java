package io.github.resnetjava.preprocessing;

import io.github.resnetjava.layers.TensorShapes;
import java.util.List;

/**
 * The evaluation-time image preprocessing of the official TF ResNet ({@code
 * official/r1/resnet/imagenet_preprocessing.py}, {@code preprocess_image(is_training=False)}),
 * parametrized by a model's {@code minAspectDim} and {@code resizeDim}. The in-graph {@link
 * ImageBytesPreprocessing} and the Java-side {@link ImagePreprocessor} both follow this one
 * definition:
 *
 * <ol>
 *   <li>decode to RGB, 8 bits per channel ({@code decode_jpeg(channels=3)});
 *   <li>{@code _aspect_preserving_resize}: bilinear resize ({@code ResizeBilinear}, {@code
 *       align_corners=False}, {@code half_pixel_centers=False}, float32 output) to {@link
 *       #resizedSize};
 *   <li>{@code _central_crop} to {@code resizeDim x resizeDim} at {@link #centralCropOffset};
 *   <li>{@code _mean_image_subtraction} of {@link #CHANNEL_MEANS}; no scaling to [0, 1].
 * </ol>
 *
 * @param minAspectDim the shorter image side after the aspect-preserving resize
 * @param resizeDim the side of the square central crop the model reads
 */
public record ImagePreprocessing(int minAspectDim, int resizeDim) {

  /** RGB channels per pixel ({@code num_channels} of the official preprocessing). */
  public static final int CHANNELS = 3;

  /**
   * The official ResNet's {@code _CHANNEL_MEANS = [_R_MEAN, _G_MEAN, _B_MEAN] = [123.68, 116.78,
   * 103.94]}, as the float32 values the graph subtracts.
   */
  public static final List<Float> CHANNEL_MEANS = List.of(123.68f, 116.78f, 103.94f);

  /**
   * @throws IllegalArgumentException unless {@code minAspectDim >= resizeDim >= 1}, which lets the
   *     central crop fit every resized image
   */
  public ImagePreprocessing {
    TensorShapes.requirePositive("resizeDim", resizeDim);
    TensorShapes.requirePositive("minAspectDim", minAspectDim);
    if (minAspectDim < resizeDim) {
      throw new IllegalArgumentException(
          "minAspectDim ("
              + minAspectDim
              + ") must be >= resizeDim ("
              + resizeDim
              + "): the central resizeDim x resizeDim crop is cut from an image whose shorter side"
              + " is minAspectDim");
    }
  }

  /**
   * The official {@code _smallest_size_at_least(height, width, minAspectDim)}: with float32
   * arithmetic, {@code ratio = minAspectDim / min(height, width)} and each side becomes {@code
   * (int) (side * ratio)}, truncated as {@code tf.cast(..., tf.int32)} truncates.
   *
   * <p>One deliberate difference: no side falls below {@code minAspectDim}. Float32 rounding makes
   * the official formula give {@code minAspectDim - 1} for about 7% of shorter sides (41 pixels at
   * 32 gives 31), which would break the central crop when {@code resizeDim == minAspectDim}.
   *
   * @return {@code {newHeight, newWidth}}
   * @throws IllegalArgumentException if a side is not positive
   */
  public int[] resizedSize(int height, int width) {
    TensorShapes.requirePositive("image height", height);
    TensorShapes.requirePositive("image width", width);
    float ratio = (float) minAspectDim / (float) Math.min(height, width);
    return new int[] {resizedSide(height, ratio), resizedSide(width, ratio)};
  }

  /** The official {@code _central_crop}'s offset: {@code (side - resizeDim) // 2}. */
  public int centralCropOffset(int side) {
    if (side < resizeDim) {
      throw new IllegalArgumentException(
          "Cannot crop " + resizeDim + " pixels centrally from a side of " + side);
    }
    return (side - resizeDim) / 2;
  }

  /** The float32 value subtracted from channel {@code channel} (0 = R, 1 = G, 2 = B). */
  public static float channelMean(int channel) {
    return CHANNEL_MEANS.get(channel);
  }

  private int resizedSide(int side, float ratio) {
    return Math.max(minAspectDim, (int) (side * ratio));
  }
}
