package io.github.resnetjava.train;

import io.github.resnetjava.layers.GraphSessions;
import io.github.resnetjava.preprocessing.ImageBytesPreprocessing;
import io.github.resnetjava.preprocessing.ImagePreprocessing;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * Decodes and preprocesses encoded image files with the graph the exported {@code image_bytes}
 * signature runs ({@link ImageBytesPreprocessing}), in a small graph and session of its own.
 *
 * <p>Not thread-safe. Owns its graph and session: close it.
 */
final class ImageDecoder implements AutoCloseable {
  /** Decoders created and not closed yet, so that tests can prove error paths close theirs. */
  private static final AtomicInteger OPEN = new AtomicInteger();

  private final ImagePreprocessing preprocessing;
  private final Graph graph;
  private final Session session;
  private final Placeholder<TString> encoded;
  private final Operand<TFloat32> images;
  private boolean closed;

  /** Builds the decoding graph for {@code preprocessing}'s sizes and opens its session. */
  ImageDecoder(ImagePreprocessing preprocessing) {
    this(preprocessing, Session::new);
  }

  /**
   * Builds the decoding graph and opens its session with {@code openSession}; if building or
   * opening fails, the graph is closed before the failure propagates (no native graph leaks).
   */
  ImageDecoder(ImagePreprocessing preprocessing, Function<Graph, Session> openSession) {
    this.preprocessing = preprocessing;
    Graph created = new Graph();
    try {
      Ops tf = Ops.create(created);
      this.encoded = tf.placeholder(TString.class, Placeholder.shape(Shape.of(-1)));
      this.images = ImageBytesPreprocessing.build(tf, encoded, preprocessing);
      this.session = openSession.apply(created);
    } catch (RuntimeException | Error e) {
      created.close();
      throw e;
    }
    this.graph = created;
    OPEN.incrementAndGet();
  }

  /** Floats per decoded image: {@code resizeDim * resizeDim * 3}. */
  int floatsPerImage() {
    return preprocessing.resizeDim() * preprocessing.resizeDim() * ImagePreprocessing.CHANNELS;
  }

  /**
   * Decodes {@code contents} (whole JPEG, PNG, GIF or BMP files) into {@code imagesNhwc}, one
   * {@code [resizeDim, resizeDim, 3]} image after the other.
   *
   * @throws RuntimeException TensorFlow's error if any file cannot be decoded
   */
  void decode(byte[][] contents, float[] imagesNhwc) {
    try (TString bytes = TString.tensorOfBytes(NdArrays.vectorOfObjects(contents));
        Result result = session.runner().feed(encoded, bytes).fetch(images).run()) {
      TFloat32 decoded = (TFloat32) result.get(0);
      decoded.copyTo(DataBuffers.of(imagesNhwc, false, false).narrow(decoded.size()));
    }
  }

  /** Whether {@code content} decodes on its own. */
  boolean decodes(byte[] content) {
    try {
      decode(new byte[][] {content}, new float[floatsPerImage()]);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** How many decoders are open in this JVM. */
  static int openCount() {
    return OPEN.get();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    OPEN.decrementAndGet();
    GraphSessions.close(session, graph);
  }
}
