package io.github.resnetjava.server;

/**
 * A request the server cannot answer, with the TF Serving status code that says why; the REST layer
 * sends it as {@code {"error": message}} with {@link Code#httpStatus()}, as TF Serving's {@code
 * MakeJsonFromStatus} and {@code ToHTTPStatusCode} do.
 */
public final class ServingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The subset of TensorFlow's status codes the server reports, with TF Serving's HTTP status. */
  public enum Code {
    /** Bad JSON, a wrong shape or dtype, an undecodable image, an inconsistent batch. */
    INVALID_ARGUMENT(400),
    /** An unknown model, version or signature. */
    NOT_FOUND(404),
    /** A body over the server's limit (an HTTP-layer answer, not a TensorFlow status). */
    PAYLOAD_TOO_LARGE(413),
    /** A body that arrived too slowly (an HTTP-layer answer, not a TensorFlow status). */
    REQUEST_TIMEOUT(408),
    /** A dtype the JSON codec does not handle. */
    UNIMPLEMENTED(501),
    /** A full batching queue, or a server that is shutting down. */
    UNAVAILABLE(503),
    /** A failure that is not the request's fault. */
    INTERNAL(500);

    private final int httpStatus;

    Code(int httpStatus) {
      this.httpStatus = httpStatus;
    }

    /** The HTTP status TF Serving's REST server answers this code with. */
    public int httpStatus() {
      return httpStatus;
    }
  }

  private final Code code;

  /** A failure with {@code code} and a message naming the problem and, where possible, the fix. */
  public ServingException(Code code, String message) {
    super(message);
    this.code = code;
  }

  /** As {@link #ServingException(Code, String)}, keeping the underlying cause. */
  public ServingException(Code code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** The status code. */
  public Code code() {
    return code;
  }

  static ServingException invalid(String message) {
    return new ServingException(Code.INVALID_ARGUMENT, message);
  }

  static ServingException notFound(String message) {
    return new ServingException(Code.NOT_FOUND, message);
  }
}
