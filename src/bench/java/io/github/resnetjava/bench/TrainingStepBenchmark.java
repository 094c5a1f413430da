package io.github.resnetjava.bench;

import io.github.resnetjava.train.Batch;
import io.github.resnetjava.train.Trainer;
import io.github.resnetjava.train.TrainingConfig;
import java.util.SplittableRandom;
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

/**
 * One {@link Trainer#step} (forward, loss, backward, momentum update, moving statistics) of a
 * ResNet-18 on 64x64 images, batch 32, 10 classes, fed from Java arrays as training feeds them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TrainingStepBenchmark {
  private static final int CLASSES = 10;

  @Param({"18"})
  public int depth;

  @Param({"64"})
  public int imageSize;

  @Param({"32"})
  public int batchSize;

  private Trainer trainer;
  private Batch batch;

  @Setup
  public void build() {
    trainer =
        new Trainer(
            TrainingConfig.builder()
                .depth(depth)
                .imageSize(imageSize)
                .batchSize(batchSize)
                .numClasses(CLASSES)
                .steps(1_000_000)
                .build());
    int[] labels = new SplittableRandom(7).ints(batchSize, 0, CLASSES).toArray();
    batch = new Batch(BenchImages.preprocessed(batchSize, imageSize), labels, imageSize);
    trainer.step(batch);
  }

  /** One training step on the same batch. */
  @Benchmark
  public Trainer.StepResult step() {
    return trainer.step(batch);
  }

  @TearDown
  public void close() {
    trainer.close();
  }
}
