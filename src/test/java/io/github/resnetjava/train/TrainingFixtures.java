package io.github.resnetjava.train;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;

/** Small, fast training setups and state snapshots shared by the training tests. */
final class TrainingFixtures {
  /** Image side: ResNet-18's downsampling still leaves a 1x1 final map. */
  static final int SIDE = 16;

  static final int CLASSES = 4;
  static final int BATCH = 8;

  private TrainingFixtures() {}

  /** ResNet-18 on 16x16 images, 4 classes, batch 8, constant-after-no-warm-up cosine, seed 7. */
  static TrainingConfig.Builder smallConfig() {
    return TrainingConfig.builder()
        .depth(18)
        .imageSize(SIDE)
        .numClasses(CLASSES)
        .batchSize(BATCH)
        .steps(100)
        .learningRate(0.05)
        .warmupSteps(0)
        .seed(7);
  }

  /**
   * A batch of {@code size} random images (values spread like mean-subtracted pixels) with labels
   * {@code i % CLASSES}.
   */
  static Batch randomBatch(int size, long seed) {
    Random random = new Random(seed);
    float[] images = new float[size * SIDE * SIDE * 3];
    for (int i = 0; i < images.length; i++) {
      images[i] = random.nextFloat() * 255 - 120;
    }
    int[] labels = new int[size];
    for (int i = 0; i < size; i++) {
      labels[i] = i % CLASSES;
    }
    return new Batch(images, labels, SIDE);
  }

  /**
   * The raw bytes of every variable of {@code graph} (model, optimizer slots, global step), by op
   * name: what a checkpoint must reproduce bit for bit.
   */
  static Map<String, byte[]> variableBytes(Session session, Graph graph) {
    List<GraphOperation> variables = new ArrayList<>();
    for (Iterator<GraphOperation> ops = graph.operations(); ops.hasNext(); ) {
      GraphOperation op = ops.next();
      if (op.type().equals("VariableV2")) {
        variables.add(op);
      }
    }
    Session.Runner runner = session.runner();
    variables.forEach(op -> runner.fetch(op.output(0)));
    Map<String, byte[]> values = new LinkedHashMap<>();
    try (Result result = runner.run()) {
      for (int i = 0; i < variables.size(); i++) {
        values.put(variables.get(i).name(), bytes(result.get(i)));
      }
    }
    return values;
  }

  /** Runs {@code trainer} on {@code data} with {@code options}, its progress output discarded. */
  static TrainingRun.Summary runQuietly(
      Trainer trainer, DatasetSplit data, TrainingRun.Options options) {
    return new TrainingRun(trainer, data, options, new PrintWriter(new StringWriter())).run();
  }

  /**
   * A dataset that answers as {@code delegate} does: the base of the tests' datasets that change
   * one answer (renamed classes, a failing read).
   */
  abstract static class ForwardingDataset implements ImageDataset {
    private final ImageDataset delegate;

    ForwardingDataset(ImageDataset delegate) {
      this.delegate = delegate;
    }

    @Override
    public List<String> classNames() {
      return delegate.classNames();
    }

    @Override
    public int size() {
      return delegate.size();
    }

    @Override
    public int imageSize() {
      return delegate.imageSize();
    }

    @Override
    public int label(int index) {
      return delegate.label(index);
    }

    @Override
    public void readImages(int[] indices, float[] imagesNhwc) {
      delegate.readImages(indices, imagesNhwc);
    }
  }

  /** A copy of a tensor's memory. */
  static byte[] bytes(Tensor tensor) {
    var data = tensor.asRawTensor().data();
    byte[] copy = new byte[Math.toIntExact(data.size())];
    data.read(copy);
    return copy;
  }
}
