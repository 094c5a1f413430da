package io.github.resnetjava.train;

import java.util.List;

/**
 * A labelled image collection, readable by index, whose images come out exactly as the exported
 * model's {@code serving_default} signature takes them: float32 {@code [side, side, 3]} NHWC, RGB
 * 0..255 minus {@link io.github.resnetjava.preprocessing.ImagePreprocessing#CHANNEL_MEANS}, as the
 * official TF ResNet's {@code _mean_image_subtraction} leaves them. Training-time augmentation is
 * applied later, by {@link Augmenter}, on this representation.
 *
 * <p>Implementations are safe to read from one thread at a time per instance; a training set and a
 * validation set are separate instances. Those holding native resources release them in {@link
 * #close()}.
 */
public interface ImageDataset extends AutoCloseable {

  /** Class names in class-index order (the labels of the exported model). */
  List<String> classNames();

  /** Number of images. */
  int size();

  /** Side of every image this dataset produces. */
  int imageSize();

  /**
   * The class index of image {@code index}.
   *
   * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, size())}
   */
  int label(int index);

  /**
   * Reads the images {@code indices} into {@code imagesNhwc}, one after the other.
   *
   * @param indices image indices, each in {@code [0, size())}
   * @param imagesNhwc destination of at least {@code indices.length * side * side * 3} floats,
   *     {@code [batch, side, side, 3]} row-major
   * @throws java.io.UncheckedIOException if an image cannot be read or decoded
   */
  void readImages(int[] indices, float[] imagesNhwc);

  /** Releases what reading needs (a decoder's session); nothing by default. */
  @Override
  default void close() {}
}
