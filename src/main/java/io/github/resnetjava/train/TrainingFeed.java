package io.github.resnetjava.train;

import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The tensors one training step feeds to a {@link TrainingGraph}: images, labels and learning rate,
 * filled from plain arrays by bulk copy. Closing it frees them.
 */
final class TrainingFeed implements AutoCloseable {
  private final TrainingGraph graph;
  private final TFloat32 images;
  private final TInt32 labels;
  private final TFloat32 learningRate;

  /** Copies {@code batch} and {@code learningRate} into tensors for {@code graph}. */
  TrainingFeed(TrainingGraph graph, Batch batch, double learningRate) {
    this.graph = graph;
    this.images = imagesTensor(batch);
    this.labels = TInt32.tensorOf(Shape.of(batch.size()), DataBuffers.of(batch.labels()));
    this.learningRate = TFloat32.scalarOf((float) learningRate);
  }

  /** A runner of {@code session} with the three placeholders fed. */
  Session.Runner runner(Session session) {
    return session
        .runner()
        .feed(graph.images(), images)
        .feed(graph.labels(), labels)
        .feed(graph.learningRate(), learningRate);
  }

  /** {@code batch}'s images as a {@code [size, side, side, 3]} tensor. */
  static TFloat32 imagesTensor(Batch batch) {
    return TFloat32.tensorOf(
        Shape.of(batch.size(), batch.imageSize(), batch.imageSize(), Batch.CHANNELS),
        DataBuffers.of(batch.imagesNhwc()));
  }

  @Override
  public void close() {
    images.close();
    labels.close();
    learningRate.close();
  }
}
