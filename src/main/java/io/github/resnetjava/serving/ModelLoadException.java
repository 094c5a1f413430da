package io.github.resnetjava.serving;

/**
 * A model directory that cannot be served: missing, without a SavedModel, unreadable by TensorFlow,
 * or lacking the signatures {@code resnet-java} exports. The message names the directory and what
 * is wrong.
 */
public class ModelLoadException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A load failure found by inspection. */
  public ModelLoadException(String message) {
    super(message);
  }

  /** A load failure with its underlying cause (an I/O or TensorFlow error). */
  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
