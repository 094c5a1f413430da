package io.github.resnetjava.export;

/**
 * A SavedModel export that did not complete. The message names the target directory and the step
 * that failed; nothing loadable was left at the target.
 */
public class ExportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An export failure with its cause. */
  public ExportException(String message, Throwable cause) {
    super(message, cause);
  }

  /** An export refused before anything was written. */
  public ExportException(String message) {
    super(message);
  }
}
