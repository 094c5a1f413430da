package io.github.resnetjava.bench;

import io.github.resnetjava.export.SavedModelExporter;
import io.github.resnetjava.export.ServingGraph;
import io.github.resnetjava.model.DataFormat;
import io.github.resnetjava.model.ResNetModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Exports the two ResNet-50 SavedModels the benchmarks load ({@link ExportVariant}): seed-42
 * kernels with the biases and batch-norm parameters a trained model has instead of the fresh ones,
 * then the plain and the optimized export of that one session.
 *
 * <p>Fresh weights would misrepresent the optimized export: with zero biases, zero means and unit
 * variances the folded biases are all zero, grappler deletes those {@code BiasAdd}s, and the
 * convolutions lose the fused ReLU a trained model's folded convolutions get.
 */
public final class BenchModelExport {
  private BenchModelExport() {}

  /** Entry point: {@code <modelsDir>}; replaces version 1 of both models. */
  public static void main(String[] args) throws IOException {
    Path modelsDir = Files.createDirectories(Path.of(args[0]));
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ResNetModel model =
          new ResNetModel(
              tf, 256, BenchImages.SIDE, 50, BenchImages.CLASSES, DataFormat.CHANNELS_LAST, 42L);
      ServingGraph servingGraph = ServingGraph.build(model);
      List<Op> trainedLike = trainedLikeAssigns(tf, model);
      try (Session session = new Session(graph)) {
        session.initialize();
        trainedLike.forEach(session::run);
        for (ExportVariant variant : ExportVariant.values()) {
          Path exported =
              SavedModelExporter.into(modelsDir, variant.modelName())
                  .withOverwrite(true)
                  .withInferenceOptimization(variant == ExportVariant.OPTIMIZED)
                  .export(session, servingGraph, 1);
          System.out.println("Exported " + variant + " ResNet-50 to " + exported);
        }
      }
    }
  }

  /**
   * Assigns to every bias and batch-norm parameter values of a trained network's magnitude: gamma
   * and moving variance in [0.5, 1.5), beta, moving mean and biases in [-0.1, 0.1).
   */
  private static List<Op> trainedLikeAssigns(Ops tf, ResNetModel model) {
    SplittableRandom random = new SplittableRandom(42);
    List<Op> assigns = new ArrayList<>();
    for (Map.Entry<String, Variable<TFloat32>> entry : model.variables().entrySet()) {
      String name = entry.getKey();
      boolean positive = name.endsWith("/gamma") || name.endsWith("/moving_variance");
      if (!positive
          && !name.endsWith("/beta")
          && !name.endsWith("/moving_mean")
          && !name.endsWith("/bias")) {
        continue;
      }
      Variable<TFloat32> variable = entry.getValue();
      float[] values = new float[Math.toIntExact(variable.shape().size())];
      for (int i = 0; i < values.length; i++) {
        values[i] =
            positive
                ? (float) (0.5 + random.nextDouble())
                : (float) (random.nextDouble() * 0.2 - 0.1);
      }
      assigns.add(tf.assign(variable, tf.constant(variable.shape(), DataBuffers.of(values))));
    }
    return assigns;
  }
}
