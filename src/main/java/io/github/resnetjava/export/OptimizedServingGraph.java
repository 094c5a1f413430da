package io.github.resnetjava.export;

import io.github.resnetjava.layers.GraphSessions;
import io.github.resnetjava.model.ResNetModel;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/**
 * An inference-only copy of a {@link ServingGraph}, in a graph and session of its own: the same
 * signatures and preprocessing, with the model rebuilt for speed (what TF1's {@code
 * optimize_for_inference} does to a serving graph): inside each block the batch norm that directly
 * follows a convolution (conv1 then BN2, and conv2 then BN3 in bottleneck blocks) is folded into
 * that convolution's kernel and bias ({@link ResNetModel.Builder#foldBatchNorms}), so the runtime
 * sees {@code Conv2D + BiasAdd + Relu}, which it fuses into one kernel.
 *
 * <p>The folding is done in Java, one layer at a time, as the weights are read from the source
 * session, and the results are assigned to variables of the copy ({@link
 * ResNetModel.Builder#fedWeights}): {@code <conv>/folded_kernel} and {@code <conv>/folded_bias} for
 * a folded pair, the source's TF1 names and values for every other weight. The graph holds no
 * weight constants, so exporting it writes each value once, to {@code variables/}, instead of
 * TensorFlow copying 100 MB of constants through the {@code GraphDef}, grappler and the SavedModel
 * writer. Outputs equal the source's within float rounding.
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
   *     model that is already inference-only
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
          "The model is already inference-only (frozen constants or fed variables): build the"
              + " source serving graph on a variable-backed model (ResNetModel without"
              + " frozenWeights or fedWeights)");
    }
    Graph graph = new Graph();
    Session optimizedSession = null;
    try {
      ResNetModel optimized =
          ResNetModel.builder(Ops.create(graph))
              .minAspectDim(model.minAspectDim())
              .resizeDim(model.resizeDim())
              .numLayers(model.numLayers())
              .outputSize(model.outputSize())
              .dataFormat(model.dataFormat())
              .fedWeights(true)
              .foldBatchNorms(true)
              .build();
      ServingGraph servingGraph = ServingGraph.build(optimized);
      optimizedSession = new Session(graph);
      optimized
          .fedVariables()
          .assign(optimizedSession, names -> model.weightsRunner(session, names).run());
      return new OptimizedServingGraph(graph, servingGraph, optimizedSession);
    } catch (RuntimeException e) {
      if (optimizedSession != null) {
        optimizedSession.close();
      }
      graph.close();
      throw e;
    }
  }

  /** The optimized serving graph: folded inference-only model and the source's signatures. */
  public ServingGraph servingGraph() {
    return servingGraph;
  }

  /** A session on {@link #servingGraph()}'s graph, its variables assigned. */
  public Session session() {
    return session;
  }

  /** Closes the session, then the graph. */
  @Override
  public void close() {
    GraphSessions.close(session, graph);
  }
}
