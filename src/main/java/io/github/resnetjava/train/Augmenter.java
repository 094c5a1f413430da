package io.github.resnetjava.train;

import io.github.resnetjava.preprocessing.ImagePreprocessing;
import java.util.SplittableRandom;

/**
 * The official TF ResNet's CIFAR-10 training augmentation ({@code official/r1/resnet/
 * cifar10_main.py}, {@code preprocess_image(is_training=True)}): pad the image by {@code padding}
 * pixels on every side ({@code resize_image_with_crop_or_pad(image, H + 8, W + 8)} for 32x32
 * images), cut a random {@code side x side} crop ({@code random_crop}) and flip it left to right
 * with probability one half ({@code random_flip_left_right}).
 *
 * <p>The padding is black, as in the official pipeline, which pads before any normalization; on the
 * mean-subtracted images of {@link ImageDataset} black is {@code -mean} per channel.
 *
 * <p>Stateless and thread-safe; the randomness comes from the caller's generator.
 */
public final class Augmenter {
  private static final int CHANNELS = ImagePreprocessing.CHANNELS;

  private final int side;
  private final int padding;

  /**
   * @param side image side
   * @param padding pixels of padding on each side before the crop, {@code >= 0}
   */
  public Augmenter(int side, int padding) {
    if (side < 1 || padding < 0) {
      throw new IllegalArgumentException(
          "side must be >= 1 and padding >= 0; got side " + side + ", padding " + padding);
    }
    this.side = side;
    this.padding = padding;
  }

  /** The official CIFAR-10 proportions: 4 pixels of padding per 32 pixels of side. */
  public static Augmenter forImageSize(int side) {
    return new Augmenter(side, Math.max(1, side / 8));
  }

  /** Pixels of padding on each side. */
  public int padding() {
    return padding;
  }

  /**
   * Augments image {@code index} of {@code imagesNhwc} in place.
   *
   * @param imagesNhwc {@code [batch, side, side, 3]} mean-subtracted images
   * @param index which image of the batch
   * @param random the source of the crop offsets and the flip
   */
  public void augment(float[] imagesNhwc, int index, SplittableRandom random) {
    int top = random.nextInt(2 * padding + 1) - padding;
    int left = random.nextInt(2 * padding + 1) - padding;
    boolean flip = random.nextBoolean();
    int imageFloats = side * side * CHANNELS;
    int offset = index * imageFloats;
    float[] source = new float[imageFloats];
    System.arraycopy(imagesNhwc, offset, source, 0, imageFloats);
    for (int y = 0; y < side; y++) {
      int sourceY = y + top;
      for (int x = 0; x < side; x++) {
        int sourceX = (flip ? side - 1 - x : x) + left;
        int to = offset + (y * side + x) * CHANNELS;
        boolean inside = sourceY >= 0 && sourceY < side && sourceX >= 0 && sourceX < side;
        for (int c = 0; c < CHANNELS; c++) {
          imagesNhwc[to + c] =
              inside
                  ? source[(sourceY * side + sourceX) * CHANNELS + c]
                  : -ImagePreprocessing.channelMean(c);
        }
      }
    }
  }
}
