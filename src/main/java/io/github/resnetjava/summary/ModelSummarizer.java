package io.github.resnetjava.summary;

import io.github.resnetjava.layers.Layout;
import io.github.resnetjava.model.DataFormat;
import io.github.resnetjava.model.ResNetModel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tensorflow.ExecutionEnvironment;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Reads a {@link ModelSummary} off the graph a {@link ResNetModel} built, without repeating the
 * architecture: layers are the name scopes of the graph's {@code Conv2D}, {@code FusedBatchNormV3},
 * {@code MaxPool}, {@code AvgPool} and {@code MatMul} ops (see {@link LayerKind}), parameters are
 * the elements of the model's variables in each scope, output shapes are the ops' static shapes,
 * and multiply-adds follow from a convolution's kernel and output shapes or a dense kernel's shape.
 */
public final class ModelSummarizer {
  /** Channels of the RGB images {@link #summarizeArchitecture} feeds the model. */
  private static final int IMAGE_CHANNELS = 3;

  private ModelSummarizer() {}

  /**
   * Summarizes the layers {@code model} has built so far.
   *
   * <p>Layers are listed in graph creation order. A layer built twice (a training and an inference
   * {@code modelLayers} call on shared weights) is listed once, as first built. Only ops under the
   * model's name scope count; when that scope is the graph's root, every op of the kinds above in
   * the graph does.
   *
   * @param model a graph-mode model after at least one {@link ResNetModel#modelLayers} call
   * @throws IllegalStateException if the model has built no layers yet
   * @throws IllegalArgumentException if the model was built in an eager session
   */
  public static ModelSummary summarize(ResNetModel model) {
    return summarize(model, describe(model));
  }

  /**
   * Builds the inference graph of a ResNet on {@code resizeDim x resizeDim} RGB images in a
   * throwaway graph and summarizes it.
   *
   * @param numLayers one of 18, 34, 50, 101, 152, 200 (Python {@code num_layers})
   * @param outputSize number of classes, {@code >= 1} (Python {@code output_size})
   * @param resizeDim side of the square images the model reads (Python {@code resize_dim})
   * @param dataFormat the model's layout
   * @throws IllegalArgumentException naming the allowed values, for a bad argument
   */
  public static ModelSummary summarizeArchitecture(
      int numLayers, int outputSize, int resizeDim, DataFormat dataFormat) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Shape shape =
          dataFormat == DataFormat.CHANNELS_FIRST
              ? Shape.of(-1, IMAGE_CHANNELS, resizeDim, resizeDim)
              : Shape.of(-1, resizeDim, resizeDim, IMAGE_CHANNELS);
      ResNetModel model =
          new ResNetModel(tf, resizeDim, resizeDim, numLayers, outputSize, dataFormat);
      model.modelLayers(tf.placeholder(TFloat32.class, Placeholder.shape(shape)), false);
      return summarize(
          model,
          describe(model) + ", " + resizeDim + "x" + resizeDim + "x" + IMAGE_CHANNELS + " input");
    }
  }

  private static ModelSummary summarize(ResNetModel model, String description) {
    Map<String, Variable<TFloat32>> variables = model.variables();
    if (variables.isEmpty()) {
      throw new IllegalStateException(
          "The model has no layers yet: call modelLayers(images, isTraining) before summarizing");
    }
    String prefix = scopePrefix(variables);
    Set<String> trainable = new HashSet<>();
    model
        .trainableVariables()
        .forEach(v -> trainable.add(v.op().name().substring(prefix.length())));
    Layout layout = model.dataFormat().layout();

    Map<String, LayerSummary> layers = new LinkedHashMap<>();
    for (Iterator<GraphOperation> ops = graphOf(model).operations(); ops.hasNext(); ) {
      GraphOperation op = ops.next();
      Optional<LayerKind> kind = LayerKind.of(op);
      int scopeEnd = op.name().lastIndexOf('/');
      if (kind.isEmpty() || !op.name().startsWith(prefix) || scopeEnd <= prefix.length()) {
        continue;
      }
      String name = op.name().substring(prefix.length(), scopeEnd);
      layers.computeIfAbsent(name, n -> layer(n, kind.get(), op, layout, variables, trainable));
    }
    return new ModelSummary(description, model.dataFormat(), new ArrayList<>(layers.values()));
  }

  private static LayerSummary layer(
      String name,
      LayerKind kind,
      GraphOperation op,
      Layout modelLayout,
      Map<String, Variable<TFloat32>> variables,
      Set<String> trainable) {
    long trainableParams = 0;
    long nonTrainableParams = 0;
    String variablePrefix = name + "/";
    for (Map.Entry<String, Variable<TFloat32>> entry : variables.entrySet()) {
      String variableName = entry.getKey();
      if (variableName.startsWith(variablePrefix)
          && variableName.indexOf('/', variablePrefix.length()) < 0) {
        long size = entry.getValue().shape().size();
        if (trainable.contains(variableName)) {
          trainableParams += size;
        } else {
          nonTrainableParams += size;
        }
      }
    }
    Shape output = op.output(0).shape();
    if (output.numDimensions() == 4) {
      output = relayout(output, opLayout(op), modelLayout);
    }
    return new LayerSummary(
        name, kind, output, trainableParams, nonTrainableParams, multiplyAdds(kind, op));
  }

  /** Per image: every output position of a convolution costs one kernel's worth of MACs. */
  private static long multiplyAdds(LayerKind kind, GraphOperation op) {
    return switch (kind) {
      case CONV2D -> {
        Shape output = op.output(0).shape();
        Layout layout = opLayout(op);
        yield output.get(layout.heightAxis())
            * output.get(layout.widthAxis())
            * op.input(1).shape().size();
      }
      case DENSE -> op.input(1).shape().size();
      default -> 0;
    };
  }

  private static String describe(ResNetModel model) {
    return "ResNet-"
        + model.numLayers()
        + " v2: "
        + model.outputSize()
        + " classes, "
        + model.dataFormat().pythonName();
  }

  private static Layout opLayout(GraphOperation op) {
    return Layout.valueOf(op.attributes().getAttrString("data_format"));
  }

  /** {@code shape}, laid out as {@code from}, with its axes moved to where {@code to} puts them. */
  private static Shape relayout(Shape shape, Layout from, Layout to) {
    long[] dims = new long[4];
    dims[0] = shape.get(0);
    dims[to.heightAxis()] = shape.get(from.heightAxis());
    dims[to.widthAxis()] = shape.get(from.widthAxis());
    dims[to.channelAxis()] = shape.get(from.channelAxis());
    return Shape.of(dims);
  }

  /** The graph name scope the model's variable names are relative to, with a trailing slash. */
  private static String scopePrefix(Map<String, Variable<TFloat32>> variables) {
    Map.Entry<String, Variable<TFloat32>> first = variables.entrySet().iterator().next();
    String opName = first.getValue().op().name();
    if (!opName.endsWith(first.getKey())) {
      throw new IllegalStateException(
          "Variable '"
              + first.getKey()
              + "' is the graph op '"
              + opName
              + "': the model's"
              + " variables do not follow its name scope");
    }
    return opName.substring(0, opName.length() - first.getKey().length());
  }

  private static Graph graphOf(ResNetModel model) {
    ExecutionEnvironment env = model.tf().scope().env();
    if (!(env instanceof Graph)) {
      throw new IllegalArgumentException(
          "Only graph-mode models can be summarized; this one was built in "
              + env.getClass().getSimpleName());
    }
    return (Graph) env;
  }
}
