package io.github.resnetjava.serving;

/**
 * An input a {@link Classifier} rejected: a wrong array length or batch size, a bad {@code topK},
 * or image bytes TensorFlow cannot decode. The classifier stays usable.
 */
public class InvalidInputException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** A rejection found by validation. */
  public InvalidInputException(String message) {
    super(message);
  }

  /** A rejection reported by TensorFlow. */
  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
