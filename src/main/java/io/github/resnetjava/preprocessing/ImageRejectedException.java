package io.github.resnetjava.preprocessing;

/**
 * An image {@link ImageLimits} refuse: a side below 1, too many pixels or too wide an aspect ratio.
 * The message names the size, the limit broken and how to change it. {@code serving.Classifier}
 * reports it as its own {@code InvalidInputException} with the same message.
 */
public class ImageRejectedException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** A refusal naming the image, its size and the limit it breaks. */
  public ImageRejectedException(String message) {
    super(message);
  }
}
