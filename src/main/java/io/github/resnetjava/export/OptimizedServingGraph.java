package io.github.resnetjava.export;

import io.github.resnetjava.layers.GraphSessions;
import io.github.resnetjava.model.ResNetModel;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/**
 * An inference-only copy of a {@link ServingGraph}, in a graph and session of its own: the same
 * signatures and preprocessing, with the model rebuilt for speed (what TF1's {@code
 * optimize_for_inference} and {@code convert_variables_to_constants} do to a serving graph):
 *
 * <ul>
 *   <li>the weights are read from the source session once and frozen into graph constants
 *       ({@link ResNetModel.Builder#frozenWeights}): oneDNN, which TensorFlow turns on for CPUs
 *       with AVX512-VNNI, AVX512-BF16 or AMX (or with {@code TF_ENABLE_ONEDNN_OPTS=1}), caches its
 *       reordered convolution filters only when they are constants;
 *   <li>inside each block the batch norm that directly follows a convolution (conv1 then BN2, and
 *       conv2 then BN3 in bottleneck blocks) is folded into that convolution's kernel and bias
 *       ({@link ResNetModel.Builder#foldBatchNorms}), so the runtime sees {@code Conv2D + BiasAdd +
 *       Relu}, which it fuses into one kernel.
 * </ul>
 *
 * The folded kernels are computed from the constants by graph ops, which TensorFlow's grappler
 * evaluates once when the session first runs. Outputs equal the source's within float rounding.
 *
 * <p>Owns its graph and session: close it.
 */
public final class OptimizedServingGraph implements AutoCloseable {
  private final Graph graph;
  private final ServingGraph servingGraph;
  private final Session session;

  private OptimizedServingGraph(Graph graph, ServingGraph servingGraph, Session session) {
    this.graph = graph;
    this.servingGraph = servingGraph;
    this.session = session;
  }

  /**
   * Builds the optimized copy of {@code source} with the weights {@code session} holds now.
   *
   * @param session a session on {@code source.graph()} whose variables are initialized or restored
   * @param source a serving graph on a variable-backed model
   * @throws IllegalArgumentException for a null argument, a session on another graph, or a source
   *     model whose weights are already frozen
   */
  public static OptimizedServingGraph of(Session session, ServingGraph source) {
    if (session == null || source == null) {
      throw new IllegalArgumentException("session and source must not be null");
    }
    if (session.graph() != source.graph()) {
      throw new IllegalArgumentException(
          "The session must run the serving graph's Graph: it holds the weights to freeze");
    }
    ResNetModel model = source.model();
    if (model.frozen()) {
      throw new IllegalArgumentException(
          "The model's weights are already frozen constants: build the source serving graph on a"
              + " variable-backed model (ResNetModel without frozenWeights)");
    }
    Map<String, float[]> weights = model.readWeights(session);
    Graph graph = new Graph();
    try {
      ResNetModel optimized =
          ResNetModel.builder(Ops.create(graph))
              .minAspectDim(model.minAspectDim())
              .resizeDim(model.resizeDim())
              .numLayers(model.numLayers())
              .outputSize(model.outputSize())
              .dataFormat(model.dataFormat())
              .frozenWeights(weights)
              .foldBatchNorms(true)
              .build();
      ServingGraph servingGraph = ServingGraph.build(optimized);
      return new OptimizedServingGraph(graph, servingGraph, new Session(graph));
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /** The optimized serving graph: frozen, folded model and the source's signatures. */
  public ServingGraph servingGraph() {
    return servingGraph;
  }

  /** A session on {@link #servingGraph()}'s graph, which holds no variables. */
  public Session session() {
    return session;
  }

  /** Closes the session, then the graph. */
  @Override
  public void close() {
    GraphSessions.close(session, graph);
  }
}
