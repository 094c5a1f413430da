package io.github.resnetjava.train;

/**
 * A training set and the validation set its accuracy is measured on, with the same classes. Closing
 * it closes both.
 *
 * @param train the images the model learns from
 * @param validation held-out images, never trained on
 */
public record DatasetSplit(ImageDataset train, ImageDataset validation) implements AutoCloseable {

  /**
   * @throws IllegalArgumentException if either is null or they differ in classes or image size
   */
  public DatasetSplit {
    if (train == null || validation == null) {
      throw new IllegalArgumentException("Both the training and the validation set are required");
    }
    if (!train.classNames().equals(validation.classNames())) {
      throw new IllegalArgumentException(
          "The training and validation sets must have the same classes; got "
              + train.classNames()
              + " and "
              + validation.classNames());
    }
    if (train.imageSize() != validation.imageSize()) {
      throw new IllegalArgumentException(
          "The training and validation images must have one size; got "
              + train.imageSize()
              + " and "
              + validation.imageSize());
    }
  }

  /** Closes both sets. */
  @Override
  public void close() {
    try {
      train.close();
    } finally {
      validation.close();
    }
  }
}
