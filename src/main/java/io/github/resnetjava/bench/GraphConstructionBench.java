package io.github.resnetjava.bench;

import io.github.resnetjava.model.DataFormat;
import io.github.resnetjava.model.ResNetModel;
import java.util.Arrays;
import org.tensorflow.Graph;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Prints how long building each depth's inference graph takes: {@code new Graph()}, a 224x224
 * placeholder and {@link ResNetModel#modelLayers} (variables and forward ops; nothing runs).
 *
 * <p>Each depth is built {@code warmup} times unmeasured, then {@code repeats} times; the median
 * and min are printed in milliseconds. Run with {@code scripts/bench-construction.sh [repeats]}.
 */
public final class GraphConstructionBench {
  private GraphConstructionBench() {}

  /** Entry point: optional arguments {@code repeats} (default 5) and {@code warmup} (default 2). */
  public static void main(String[] args) {
    int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    System.out.printf("%-10s %-15s %12s %12s %10s %8s%n",
        "depth", "data format", "median ms", "min ms", "variables", "ops");
    for (int depth : ResNetModel.BLOCK_LAYER_SIZES.keySet()) {
      for (DataFormat format : DataFormat.values()) {
        for (int i = 0; i < warmup; i++) {
          build(depth, format);
        }
        double[] millis = new double[repeats];
        Built built = null;
        for (int i = 0; i < repeats; i++) {
          long start = System.nanoTime();
          built = build(depth, format);
          millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        System.out.printf("%-10s %-15s %12.1f %12.1f %10d %8d%n", "ResNet-" + depth,
            format.pythonName(), millis[repeats / 2], millis[0], built.variables(), built.ops());
      }
    }
  }

  private record Built(int variables, int ops) {}

  private static Built build(int depth, DataFormat format) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Shape shape = format == DataFormat.CHANNELS_FIRST
          ? Shape.of(-1, 3, 224, 224) : Shape.of(-1, 224, 224, 3);
      Placeholder<TFloat32> images = tf.placeholder(TFloat32.class, Placeholder.shape(shape));
      ResNetModel model = new ResNetModel(tf, 256, 224, depth, 1000, format);
      model.modelLayers(images, false);
      int ops = 0;
      for (var it = graph.operations(); it.hasNext(); it.next()) {
        ops++;
      }
      return new Built(model.variables().size(), ops);
    }
  }
}
