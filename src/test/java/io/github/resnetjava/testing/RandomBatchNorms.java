package io.github.resnetjava.testing;

import io.github.resnetjava.model.ResNetModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Assign ops that give every batch norm of a model random statistics: fresh batch norms are near
 * identities, and random ones make batch-norm folding do real work.
 */
public final class RandomBatchNorms {
  private RandomBatchNorms() {}

  /**
   * One assign per batch-norm variable of {@code model}: gamma and moving variance in {@code [0.5,
   * 1.5)}, beta and moving mean in {@code [-1, 1)}, seeded by creation order.
   */
  public static List<Op> assigns(Ops tf, ResNetModel model) {
    List<Op> assigns = new ArrayList<>();
    int seed = 0;
    for (Map.Entry<String, Variable<TFloat32>> entry : model.variables().entrySet()) {
      String name = entry.getKey();
      if (!name.contains("batch_normalization")) {
        continue;
      }
      Shape shape = entry.getValue().shape();
      float[] values = TensorData.randomValues((int) shape.size(), seed++);
      if (name.endsWith("moving_variance") || name.endsWith("gamma")) {
        for (int i = 0; i < values.length; i++) {
          values[i] = 0.5f + Math.abs(values[i]);
        }
      }
      assigns.add(tf.assign(entry.getValue(), TensorData.constant(tf, shape, values)));
    }
    return assigns;
  }
}
