package io.github.resnetjava.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Weights of an inference-only graph held in variables whose values are computed in Java from
 * another model's weights and fed once ({@link #assign}), as TF1 code initializes a variable from a
 * placeholder ({@code tf.Variable(tf.compat.v1.placeholder(...))} run with a feed). A SavedModel
 * export then writes the values once, to {@code variables/}, and the graph stays small: graph
 * constants would be copied into the {@code GraphDef}, by grappler and by the SavedModel writer.
 *
 * <p>Each weight is a {@code VariableV2} under its TF1 name, with a {@code Placeholder} {@code
 * <name>_feed/value} and an {@code Assign} {@code <name>_feed/Assign} beside it; none is a graph
 * initializer, so a new {@code Session} runs nothing before {@link #assign}. A weight requested
 * with {@link WeightStore#get} takes the source weight of the same name unchanged; a convolution
 * with a batch norm folded in ({@link #foldedConvolution}) gets {@value #FOLDED_KERNEL} and {@value
 * #FOLDED_BIAS} in the convolution's scope, computed by {@link BatchNormFolding}, and the two
 * layers' own weights are not created.
 *
 * <p>Not thread-safe: build the graph from one thread.
 */
public final class FedVariables implements WeightStore {
  /** Name, in the convolution's scope, of a kernel with a batch norm folded in. */
  public static final String FOLDED_KERNEL = "folded_kernel";

  /** Name, in the convolution's scope, of a bias with a batch norm folded in. */
  public static final String FOLDED_BIAS = "folded_bias";

  /** The kernel and bias of a convolution with a batch norm folded in. */
  record FoldedConvolution(Operand<TFloat32> kernel, Operand<TFloat32> bias) {}

  /** How a variable's value is made from its source weights. */
  private enum Source {
    /** The one source weight, unchanged. */
    COPY,
    /** {@code kernel * scale(gamma, moving_variance)}. */
    FOLDED_KERNEL,
    /** {@code (bias - moving_mean) * scale(gamma, moving_variance) + beta}. */
    FOLDED_BIAS
  }

  /** One variable, its feed, and the source weights its value is made from, in order. */
  private record Slot(
      String name,
      Variable<TFloat32> variable,
      Placeholder<TFloat32> value,
      Op assign,
      Source source,
      List<String> sources) {}

  /** Values folded per chunk: bounds the Java memory a folded kernel needs. */
  private static final int CHUNK = 1 << 16;

  private final Map<String, Slot> slots = new LinkedHashMap<>();

  /**
   * The variable {@code scope/name}, whose value will be the source weight of the same name.
   *
   * @param initializer ignored: the value is fed
   * @param trainable ignored: the graph is inference-only
   * @throws IllegalArgumentException if the weight exists with another shape
   */
  @Override
  public Operand<TFloat32> get(
      LayerScope scope, String name, Shape shape, Initializer initializer, boolean trainable) {
    return variable(scope, name, shape, Source.COPY, List.of(scope.qualify(name)));
  }

  /**
   * The folded kernel and bias of convolution layer {@code conv} followed by batch-norm layer
   * {@code bn}: variables {@code conv/}{@value #FOLDED_KERNEL} and {@code conv/}{@value
   * #FOLDED_BIAS}, valued from the source's {@code conv/kernel}, {@code conv/bias} and {@code
   * bn/gamma}, {@code beta}, {@code moving_mean}, {@code moving_variance}.
   *
   * @param kernelShape {@code [k, k, in, out]}
   */
  FoldedConvolution foldedConvolution(LayerScope conv, LayerScope bn, Shape kernelShape) {
    String kernel = conv.qualify("kernel");
    String bias = conv.qualify("bias");
    String gamma = bn.qualify("gamma");
    String beta = bn.qualify("beta");
    String mean = bn.qualify("moving_mean");
    String variance = bn.qualify("moving_variance");
    Shape channels = Shape.of(kernelShape.get(kernelShape.numDimensions() - 1));
    return new FoldedConvolution(
        variable(
            conv,
            FOLDED_KERNEL,
            kernelShape,
            Source.FOLDED_KERNEL,
            List.of(kernel, gamma, variance)),
        variable(
            conv,
            FOLDED_BIAS,
            channels,
            Source.FOLDED_BIAS,
            List.of(bias, gamma, variance, mean, beta)));
  }

  /** Every variable, keyed by name, in creation order. */
  public Map<String, Variable<TFloat32>> variables() {
    Map<String, Variable<TFloat32>> variables = new LinkedHashMap<>();
    slots.forEach((name, slot) -> variables.put(name, slot.variable()));
    return Collections.unmodifiableMap(variables);
  }

  /**
   * Computes every variable's value from the source weights and assigns it in {@code session}, one
   * variable at a time: a copied weight goes from the fetched tensor to the variable without
   * passing through Java, a folded kernel passes through Java a chunk at a time, so the Java heap
   * never holds a model's worth of weights.
   *
   * @param session a session on the graph these variables were built in
   * @param fetch runs a fetch of the given source weights, by TF1 name: the {@code i}-th tensor of
   *     the result is the float32 value of the {@code i}-th name (for example {@code names ->
   *     model.weightsRunner(sourceSession, names).run()}); this method closes the result
   * @throws IllegalArgumentException if a source weight has the wrong shape
   */
  public void assign(Session session, Function<List<String>, Result> fetch) {
    for (Slot slot : slots.values()) {
      try (Result fetched = fetch.apply(slot.sources())) {
        List<TFloat32> sources = new ArrayList<>(slot.sources().size());
        for (int i = 0; i < slot.sources().size(); i++) {
          sources.add((TFloat32) fetched.get(i));
        }
        switch (slot.source()) {
          case COPY -> feed(session, slot, sources.get(0));
          case FOLDED_KERNEL -> {
            try (TFloat32 kernel = foldedKernel(slot, sources)) {
              feed(session, slot, kernel);
            }
          }
          case FOLDED_BIAS -> {
            float[] scale = BatchNormFolding.scale(values(sources.get(1)), values(sources.get(2)));
            float[] bias =
                BatchNormFolding.bias(
                    values(sources.get(0)), values(sources.get(3)), scale, values(sources.get(4)));
            try (TFloat32 tensor =
                TFloat32.tensorOf(Shape.of(bias.length), DataBuffers.of(bias, true, false))) {
              feed(session, slot, tensor);
            }
          }
        }
      }
    }
  }

  private static TFloat32 foldedKernel(Slot slot, List<TFloat32> sources) {
    float[] scale = BatchNormFolding.scale(values(sources.get(1)), values(sources.get(2)));
    TFloat32 source = sources.get(0);
    BatchNormFolding.requireWholeFilters(source.shape().size(), scale);
    FloatDataBuffer in = source.asRawTensor().data().asFloats();
    TFloat32 folded = TFloat32.tensorOf(source.shape());
    FloatDataBuffer out = folded.asRawTensor().data().asFloats();
    float[] chunk = new float[(int) Math.min(CHUNK, in.size())];
    for (long first = 0; first < in.size(); first += chunk.length) {
      int length = (int) Math.min(chunk.length, in.size() - first);
      in.offset(first).read(chunk, 0, length);
      BatchNormFolding.scaleKernel(chunk, length, first, scale);
      out.offset(first).write(chunk, 0, length);
    }
    return folded;
  }

  private static float[] values(TFloat32 tensor) {
    float[] values = new float[Math.toIntExact(tensor.shape().size())];
    tensor.copyTo(DataBuffers.of(values));
    return values;
  }

  private static void feed(Session session, Slot slot, TFloat32 value) {
    Shape shape = slot.variable().shape();
    if (!value.shape().equals(shape)) {
      throw new IllegalArgumentException(
          "Variable '"
              + slot.name()
              + "' needs shape "
              + shape
              + " but its source weights "
              + slot.sources()
              + " give "
              + value.shape()
              + ": read the weights of a model of the same depth and class count");
    }
    session.runner().feed(slot.value(), value).addTarget(slot.assign()).run();
  }

  @Override
  public void addUpdateOp(Op op) {
    throw new IllegalStateException(
        "Fed variables belong to an inference-only graph and take no training updates: build"
            + " training graphs on a VariableStore");
  }

  private Variable<TFloat32> variable(
      LayerScope scope, String name, Shape shape, Source source, List<String> sources) {
    String fullName = scope.qualify(name);
    Slot existing = slots.get(fullName);
    if (existing != null) {
      if (!existing.variable().shape().equals(shape)) {
        throw new IllegalArgumentException(
            "Variable '"
                + fullName
                + "' already exists with shape "
                + existing.variable().shape()
                + " but this layer needs "
                + shape);
      }
      return existing.variable();
    }
    Ops tf = scope.ops();
    Variable<TFloat32> variable = Variable.create(tf.withName(name).scope(), shape, TFloat32.class);
    Ops feedOps = tf.withSubScope(name + "_feed");
    Placeholder<TFloat32> value =
        feedOps.withName("value").placeholder(TFloat32.class, Placeholder.shape(shape));
    Op assign = Assign.create(feedOps.withName("Assign").scope(), variable, value);
    slots.put(fullName, new Slot(fullName, variable, value, assign, source, sources));
    return variable;
  }
}
