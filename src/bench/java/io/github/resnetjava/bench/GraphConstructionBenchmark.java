package io.github.resnetjava.bench;

import io.github.resnetjava.model.DataFormat;
import io.github.resnetjava.model.ResNetModel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.tensorflow.Graph;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Building one depth's inference graph: {@code new Graph()}, a 224x224 placeholder and {@link
 * ResNetModel#modelLayers} with 1000 classes (variables and forward ops; nothing runs), then
 * closing the graph.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class GraphConstructionBenchmark {
  @Param({"18", "34", "50", "101", "152", "200"})
  public int depth;

  @Param({"CHANNELS_LAST", "CHANNELS_FIRST"})
  public DataFormat format;

  /** One graph built and closed; returns its variable count. */
  @Benchmark
  public int build() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Shape shape =
          format == DataFormat.CHANNELS_FIRST
              ? Shape.of(-1, BenchImages.CHANNELS, BenchImages.SIDE, BenchImages.SIDE)
              : Shape.of(-1, BenchImages.SIDE, BenchImages.SIDE, BenchImages.CHANNELS);
      Placeholder<TFloat32> images = tf.placeholder(TFloat32.class, Placeholder.shape(shape));
      ResNetModel model =
          new ResNetModel(tf, 256, BenchImages.SIDE, depth, BenchImages.CLASSES, format);
      model.modelLayers(images, false);
      return model.variables().size();
    }
  }
}
