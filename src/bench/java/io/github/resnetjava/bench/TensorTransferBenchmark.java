package io.github.resnetjava.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * The Java side of one inference call, as the {@code Classifier} does it: filling the {@code
 * [batch, 224, 224, 3]} input tensor from a {@code float[]} by bulk copy (allocation included), and
 * reading the {@code [batch, 1000]} probabilities back into a {@code float[]}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TensorTransferBenchmark {
  @Param({"1", "8", "32"})
  public int batch;

  private float[] images;
  private Shape imagesShape;
  private TFloat32 probabilities;
  private float[] scores;

  @Setup
  public void prepare() {
    images = BenchImages.preprocessed(batch, BenchImages.SIDE);
    imagesShape = Shape.of(batch, BenchImages.SIDE, BenchImages.SIDE, BenchImages.CHANNELS);
    scores = new float[batch * BenchImages.CLASSES];
    probabilities = TFloat32.tensorOf(Shape.of(batch, BenchImages.CLASSES), DataBuffers.of(scores));
  }

  /** Allocates the input tensor, copies a batch into it and frees it. */
  @Benchmark
  public long fillInput() {
    try (TFloat32 tensor = TFloat32.tensorOf(imagesShape, DataBuffers.of(images))) {
      return tensor.numBytes();
    }
  }

  /** Copies a batch's probabilities out of their tensor. */
  @Benchmark
  public float[] readOutput() {
    probabilities.copyTo(DataBuffers.of(scores));
    return scores;
  }

  @TearDown
  public void close() {
    probabilities.close();
  }
}
