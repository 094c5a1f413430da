package io.github.resnetjava.serving;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code k} most probable classes of each row of a probability matrix, ordered as TF's {@code
 * tf.math.top_k} orders them: by descending probability, lower class index first among ties.
 */
final class TopK {
  private TopK() {}

  /**
   * @param probabilities {@code [batch, numClasses]} row-major
   * @param k classes per row, at most {@code numClasses}
   * @param labels the class labels, {@code numClasses} of them
   */
  static List<List<Prediction>> of(
      float[] probabilities, int batch, int numClasses, int k, List<String> labels) {
    List<List<Prediction>> rows = new ArrayList<>(batch);
    for (int b = 0; b < batch; b++) {
      rows.add(row(probabilities, b * numClasses, numClasses, k, labels));
    }
    return List.copyOf(rows);
  }

  private static List<Prediction> row(
      float[] probabilities, int offset, int numClasses, int k, List<String> labels) {
    // Selection rather than a sort: k is usually far smaller than the class count.
    boolean[] taken = new boolean[numClasses];
    List<Prediction> top = new ArrayList<>(k);
    for (int rank = 0; rank < k; rank++) {
      int best = -1;
      for (int c = 0; c < numClasses; c++) {
        if (!taken[c] && (best < 0 || probabilities[offset + c] > probabilities[offset + best])) {
          best = c;
        }
      }
      taken[best] = true;
      top.add(new Prediction(best, labels.get(best), probabilities[offset + best]));
    }
    return List.copyOf(top);
  }
}
