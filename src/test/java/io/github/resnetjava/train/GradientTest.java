package io.github.resnetjava.train;

import static io.github.resnetjava.train.TrainingFixtures.BATCH;
import static io.github.resnetjava.train.TrainingFixtures.CLASSES;
import static io.github.resnetjava.train.TrainingFixtures.randomBatch;
import static io.github.resnetjava.train.TrainingFixtures.smallConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resnetjava.model.ResNetModel;
import io.github.resnetjava.testing.TensorData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The optimizer differentiates exactly the trainable variables, through every layer (padding,
 * convolutions, shortcuts, batch norm, dense), and never touches the moving statistics.
 */
class GradientTest {
  private static final double WEIGHT_DECAY = 1e-4;
  private static Trainer trainer;
  private static TrainingGraph graph;
  private static ResNetModel model;

  @BeforeAll
  static void build() {
    trainer = new Trainer(smallConfig().weightDecay(WEIGHT_DECAY).build());
    graph = trainer.graph();
    model = graph.model();
  }

  @AfterAll
  static void close() {
    trainer.close();
  }

  @Test
  void everyTrainableVariableGetsANonZeroGradientOfItsShape() {
    List<Variable<TFloat32>> trainable = model.trainableVariables();
    List<Output<TFloat32>> gradients = graph.update().gradients();
    assertEquals(trainable.size(), gradients.size());
    Map<String, float[]> values = fetchGradients(randomBatch(BATCH, 3));
    for (int i = 0; i < trainable.size(); i++) {
      String name = trainable.get(i).op().name();
      assertEquals(trainable.get(i).shape(), gradients.get(i).shape(), name);
      assertTrue(maxAbs(values.get(name)) > 0, "gradient of " + name + " is all zero");
    }
    List<String> names = trainable.stream().map(v -> v.op().name()).toList();
    assertTrue(names.contains("conv_initial/kernel"));
    assertTrue(
        names.contains("block_layer1/regular_block0/conv2d/kernel"),
        "the first projection shortcut of block layer 1");
    assertTrue(names.contains("logits/kernel"));
  }

  @Test
  void movingStatisticsAreNotDifferentiatedAndTheOptimizerLeavesThemUnchanged() {
    List<String> trainable = model.trainableVariables().stream().map(v -> v.op().name()).toList();
    List<String> moving = new ArrayList<>();
    for (String name : model.variables().keySet()) {
      if (name.endsWith("/moving_mean") || name.endsWith("/moving_variance")) {
        moving.add(name);
      }
    }
    assertEquals(2 * 17, moving.size(), "ResNet-18 has 17 batch norms");
    for (String name : moving) {
      assertFalse(trainable.contains(name), name + " must not be differentiated");
    }
    assertEquals(model.variables().size() - moving.size(), trainable.size());

    Map<String, byte[]> before = TrainingFixtures.variableBytes(session(), graph.graph());
    // The optimizer alone: gradients and momentum updates, without the batch-norm update ops.
    try (TrainingFeed feed = new TrainingFeed(graph, randomBatch(BATCH, 4), 0.05)) {
      feed.runner(session()).addTarget(graph.update().applyOp()).run().close();
    }
    Map<String, byte[]> after = TrainingFixtures.variableBytes(session(), graph.graph());
    for (String name : moving) {
      assertArrayEquals(before.get(name), after.get(name), name + " changed");
    }
    for (String name : trainable) {
      assertFalse(
          java.util.Arrays.equals(before.get(name), after.get(name)), name + " was not updated");
    }
  }

  @Test
  void logitsBiasGradientIsTheBatchMeanOfSoftmaxMinusOneHotPlusDecay() {
    Batch batch = randomBatch(BATCH, 5);
    Variable<TFloat32> bias = model.variables().get("logits/bias");
    int index = model.trainableVariables().indexOf(bias);
    float[] logits;
    float[] gradient;
    float[] biasValue;
    try (TrainingFeed feed = new TrainingFeed(graph, batch, 0);
        Result result =
            feed.runner(session())
                .fetch(graph.logits())
                .fetch(graph.update().gradients().get(index))
                .fetch(bias)
                .run()) {
      logits = TensorData.values(result.get(0));
      gradient = TensorData.values(result.get(1));
      biasValue = TensorData.values(result.get(2));
    }
    // d/db mean_i CE(softmax(z_i), y_i) = mean_i (softmax(z_i) - onehot(y_i)); l2 adds wd * b.
    for (int c = 0; c < CLASSES; c++) {
      double expected = 0;
      for (int i = 0; i < BATCH; i++) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < CLASSES; k++) {
          max = Math.max(max, logits[i * CLASSES + k]);
        }
        double sum = 0;
        for (int k = 0; k < CLASSES; k++) {
          sum += Math.exp(logits[i * CLASSES + k] - max);
        }
        double softmax = Math.exp(logits[i * CLASSES + c] - max) / sum;
        expected += (softmax - (batch.labels()[i] == c ? 1 : 0)) / BATCH;
      }
      expected += WEIGHT_DECAY * biasValue[c];
      assertEquals(expected, gradient[c], 1e-6, "d loss / d logits/bias[" + c + "]");
    }
  }

  private static Map<String, float[]> fetchGradients(Batch batch) {
    List<Variable<TFloat32>> trainable = model.trainableVariables();
    Map<String, float[]> values = new LinkedHashMap<>();
    try (TrainingFeed feed = new TrainingFeed(graph, batch, 0)) {
      Session.Runner runner = feed.runner(session());
      graph.update().gradients().forEach(runner::fetch);
      try (Result result = runner.run()) {
        for (int i = 0; i < trainable.size(); i++) {
          values.put(trainable.get(i).op().name(), TensorData.values(result.get(i)));
        }
      }
    }
    return values;
  }

  private static float maxAbs(float[] values) {
    float max = 0;
    for (float v : values) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }

  private static Session session() {
    return trainer.session();
  }
}
