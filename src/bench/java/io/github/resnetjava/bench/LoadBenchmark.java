package io.github.resnetjava.bench;

import io.github.resnetjava.serving.Classifier;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Loading an exported ResNet-50 with {@link Classifier#load} (SavedModel read, session created,
 * signatures resolved) and closing it; and the same with the first classification of one image,
 * which is when TensorFlow optimizes the graph (for the optimized export, folds the batch norms
 * into the kernels) and oneDNN prepares its kernels: the time to the first answer.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LoadBenchmark {
  @Param({"PLAIN", "OPTIMIZED"})
  public ExportVariant model;

  private float[] image;

  @Setup
  public void prepare() {
    image = BenchImages.preprocessed(1, BenchImages.SIDE);
  }

  /** Load, then close. */
  @Benchmark
  public int load() {
    try (Classifier classifier = Classifier.load(model.modelDir())) {
      return classifier.numClasses();
    }
  }

  /** Load, classify one image, close. */
  @Benchmark
  public List<?> loadAndClassify() {
    try (Classifier classifier = Classifier.load(model.modelDir())) {
      return classifier.classify(image, 1, 5);
    }
  }
}
