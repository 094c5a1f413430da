package io.github.resnetjava.train;

import io.github.resnetjava.preprocessing.ImagePreprocessing;

/**
 * A batch of images and their labels as plain arrays, ready to be copied into tensors in bulk.
 *
 * @param imagesNhwc float32 {@code [size, imageSize, imageSize, 3]} row-major, as {@link
 *     ImageDataset} produces them
 * @param labels class indices {@code [size]}
 * @param imageSize the images' side
 */
public record Batch(float[] imagesNhwc, int[] labels, int imageSize) {

  /** Values per pixel: RGB. */
  static final int CHANNELS = ImagePreprocessing.CHANNELS;

  /**
   * @throws IllegalArgumentException if the image array does not hold {@code labels.length} images
   *     of {@code imageSize x imageSize x 3}
   */
  public Batch {
    long expected = (long) labels.length * imageSize * imageSize * CHANNELS;
    if (imagesNhwc.length != expected) {
      throw new IllegalArgumentException(
          "A batch of "
              + labels.length
              + " images of "
              + imageSize
              + "x"
              + imageSize
              + "x3 needs "
              + expected
              + " floats; got "
              + imagesNhwc.length);
    }
  }

  /** Reads the images {@code indices} of {@code dataset}, unaugmented. */
  public static Batch read(ImageDataset dataset, int[] indices) {
    int side = dataset.imageSize();
    float[] images = new float[indices.length * side * side * CHANNELS];
    dataset.readImages(indices, images);
    int[] labels = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      labels[i] = dataset.label(indices[i]);
    }
    return new Batch(images, labels, side);
  }

  /** Number of images. */
  public int size() {
    return labels.length;
  }
}
