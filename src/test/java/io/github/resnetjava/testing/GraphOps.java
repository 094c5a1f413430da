package io.github.resnetjava.testing;

import io.github.resnetjava.layers.BatchNormalizationLayer;
import java.util.Iterator;
import java.util.function.Predicate;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;

/** Counts of a graph's ops, for tests that assert what a builder put in a graph. */
public final class GraphOps {
  private GraphOps() {}

  /** The number of ops of TF type {@code type} ({@code "Conv2D"}, {@code "VariableV2"}, ...). */
  public static int ofType(Graph graph, String type) {
    return count(graph, op -> op.type().equals(type));
  }

  /**
   * The number of inference-mode batch norms: the scale-and-shift {@code BiasAdd} ops named {@value
   * BatchNormalizationLayer#INFERENCE_OP_NAME} in their layer's scope.
   */
  public static int inferenceBatchNorms(Graph graph) {
    return count(
        graph,
        op ->
            op.type().equals("BiasAdd")
                && op.name().endsWith("/" + BatchNormalizationLayer.INFERENCE_OP_NAME));
  }

  private static int count(Graph graph, Predicate<GraphOperation> matches) {
    int count = 0;
    for (Iterator<GraphOperation> ops = graph.operations(); ops.hasNext(); ) {
      if (matches.test(ops.next())) {
        count++;
      }
    }
    return count;
  }
}
