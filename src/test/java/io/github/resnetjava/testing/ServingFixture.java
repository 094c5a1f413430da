package io.github.resnetjava.testing;

import io.github.resnetjava.export.ServingGraph;
import io.github.resnetjava.model.DataFormat;
import io.github.resnetjava.model.ResNetModel;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * A small ResNet-18 with its {@link ServingGraph} and a session, for export and serving tests. Also
 * builds, before the session starts, assign ops for the variables tests overwrite (the logits bias,
 * the batch-norm statistics), so tests can give the session values no initializer produces.
 */
public final class ServingFixture implements AutoCloseable {
  public static final int MIN_ASPECT_DIM = 40;
  public static final int RESIZE_DIM = 32;
  public static final int CLASSES = 7;
  public static final long SEED = 20240611L;

  /** A variable tests overwrite: the logits layer's bias, one value per class. */
  public static final String LOGITS_BIAS = "logits/bias";

  public final Graph graph;
  public final Ops tf;
  public final ResNetModel model;
  public final ServingGraph serving;
  public final Session session;
  private final Placeholder<TFloat32> logitsBiasValue;
  private final Operand<TFloat32> assignLogitsBias;
  private final List<Op> randomizeBatchNorms;

  private ServingFixture(DataFormat format) {
    graph = new Graph();
    tf = Ops.create(graph);
    model = new ResNetModel(tf, MIN_ASPECT_DIM, RESIZE_DIM, 18, CLASSES, format, SEED);
    serving = ServingGraph.build(model);
    Variable<TFloat32> bias = model.variables().get(LOGITS_BIAS);
    logitsBiasValue = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(CLASSES)));
    assignLogitsBias = tf.assign(bias, logitsBiasValue);
    randomizeBatchNorms = RandomBatchNorms.assigns(tf, model);
    session = new Session(graph);
  }

  /** A fixture whose model has {@code format}. */
  public static ServingFixture create(DataFormat format) {
    return new ServingFixture(format);
  }

  /** Overwrites the logits bias in the session. */
  public void setLogitsBias(float[] values) {
    try (TFloat32 value = TensorData.tensor(Shape.of(CLASSES), values)) {
      session.runner().feed(logitsBiasValue, value).addTarget(assignLogitsBias).run().close();
    }
  }

  /** Gives every batch norm random statistics ({@link RandomBatchNorms}). */
  public void randomizeBatchNorms() {
    randomizeBatchNorms.forEach(session::run);
  }

  /** The session's value of variable {@code name}. */
  public float[] variable(String name) {
    return TensorData.fetch(session, model.variables().get(name));
  }

  /** {@code fetch} with the {@code input} signature fed {@code [batch, 32, 32, 3]} images. */
  public float[] runInput(Operand<TFloat32> fetch, float[] imagesNhwc, int batch) {
    try (TFloat32 images =
        TensorData.tensor(Shape.of(batch, RESIZE_DIM, RESIZE_DIM, 3), imagesNhwc)) {
      return TensorData.fetch(session, fetch, serving.input(), images);
    }
  }

  /** {@code fetch} with the {@code image_bytes} signature fed {@code encodedImages}. */
  public float[] runImageBytes(Operand<TFloat32> fetch, List<byte[]> encodedImages) {
    try (TString bytes =
            TString.tensorOfBytes(NdArrays.vectorOfObjects(encodedImages.toArray(new byte[0][])));
        Result result = session.runner().feed(serving.imageBytes(), bytes).fetch(fetch).run()) {
      return TensorData.values(result.get(0));
    }
  }

  /** Deterministic images in the range the {@code input} signature expects (about -128..152). */
  public static float[] images(int batch, long seed) {
    float[] values = TensorData.randomValues(batch * RESIZE_DIM * RESIZE_DIM * 3, seed);
    for (int i = 0; i < values.length; i++) {
      values[i] *= 120f;
    }
    return values;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
