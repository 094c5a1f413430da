package io.github.resnetjava.layers;

import org.tensorflow.Graph;
import org.tensorflow.Session;

/** Closing what owns a graph and the session that runs it. */
public final class GraphSessions {
  private GraphSessions() {}

  /**
   * Closes {@code session}, then {@code graph}, even if closing the session fails: TensorFlow
   * Java's {@code Graph.close()} blocks until no session of the graph is open, so the order
   * matters.
   */
  public static void close(Session session, Graph graph) {
    try {
      session.close();
    } finally {
      graph.close();
    }
  }
}
