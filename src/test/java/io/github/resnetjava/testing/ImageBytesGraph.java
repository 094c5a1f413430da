package io.github.resnetjava.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.resnetjava.layers.GraphSessions;
import io.github.resnetjava.preprocessing.ImageBytesPreprocessing;
import io.github.resnetjava.preprocessing.ImagePreprocessing;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * The in-graph {@code image_bytes} preprocessing alone ({@link ImageBytesPreprocessing} on a string
 * placeholder) with a session to run it: what the preprocessing tests feed encoded files to, and
 * compare Java-side results against.
 */
public final class ImageBytesGraph implements AutoCloseable {
  private final ImagePreprocessing sizes;
  private final Graph graph;
  private final Session session;
  private final Placeholder<TString> bytes;
  private final Operand<TFloat32> images;

  /** Builds the preprocessing for {@code sizes} and opens a session on it. */
  public ImageBytesGraph(ImagePreprocessing sizes) {
    this.sizes = sizes;
    graph = new Graph();
    Ops tf = Ops.create(graph);
    bytes = tf.placeholder(TString.class, Placeholder.shape(Shape.of(-1)));
    images = ImageBytesPreprocessing.build(tf, bytes, sizes);
    session = new Session(graph);
  }

  /** The preprocessed batch, float32 {@code [batch, resizeDim, resizeDim, 3]}. */
  public Operand<TFloat32> images() {
    return images;
  }

  /**
   * Preprocesses {@code files} in one run.
   *
   * @return {@code [files.length, resizeDim, resizeDim, 3]} row-major, after checking that shape
   */
  public float[] run(byte[]... files) {
    try (TString value = TString.tensorOfBytes(NdArrays.vectorOfObjects(files));
        Result result = session.runner().feed(bytes, value).fetch(images).run()) {
      int side = sizes.resizeDim();
      assertEquals(Shape.of(files.length, side, side, 3), result.get(0).shape());
      return TensorData.values(result.get(0));
    }
  }

  @Override
  public void close() {
    GraphSessions.close(session, graph);
  }
}
