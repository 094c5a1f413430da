package io.github.resnetjava.train;

import static io.github.resnetjava.train.TrainingFixtures.BATCH;
import static io.github.resnetjava.train.TrainingFixtures.randomBatch;
import static io.github.resnetjava.train.TrainingFixtures.smallConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.resnetjava.testing.TensorData;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** The weight-decay term against a plain-Java sum over the fetched weights. */
class WeightDecayTest {
  private static final double WEIGHT_DECAY = 3e-4;

  @Test
  void weightDecayIsTheFactorTimesHalfTheSquaredNormOfEveryKernelAndBias() {
    try (Trainer trainer = new Trainer(smallConfig().weightDecay(WEIGHT_DECAY).build())) {
      // Train a little so biases are no longer zero and kernels have moved.
      for (int step = 0; step < 3; step++) {
        trainer.step(randomBatch(BATCH, 20 + step));
      }
      TrainingGraph graph = trainer.graph();
      List<Variable<TFloat32>> trainable = graph.model().trainableVariables();
      Session.Runner runner = trainer.session().runner();
      trainable.forEach(runner::fetch);
      runner.fetch(graph.loss().weightDecayTerm());
      double expectedSum = 0;
      int decayed = 0;
      float actual;
      try (Result result = runner.run()) {
        for (int i = 0; i < trainable.size(); i++) {
          String name = trainable.get(i).op().name();
          // The official ResNet decays conv and dense kernels and biases, not gamma and beta.
          if (name.endsWith("/kernel") || name.endsWith("/bias")) {
            decayed++;
            for (float value : TensorData.values(result.get(i))) {
              expectedSum += (double) value * value / 2;
            }
          }
        }
        actual = ((TFloat32) result.get(trainable.size())).getFloat();
      }
      assertEquals(decayed, graph.loss().decayedVariables().size());
      assertEquals(
          2 * (1 + 2 * 8 + 4 + 1),
          decayed,
          "ResNet-18: conv_initial, two convs in each of 8 blocks, a projection shortcut per block"
              + " layer, logits; a kernel and a bias each");
      assertEquals(WEIGHT_DECAY * expectedSum, actual, 1e-5 * WEIGHT_DECAY * expectedSum);
    }
  }

  @Test
  void theLossIsCrossEntropyPlusWeightDecay() {
    try (Trainer trainer = new Trainer(smallConfig().build());
        TrainingFeed feed = new TrainingFeed(trainer.graph(), randomBatch(BATCH, 30), 0);
        Result result =
            feed.runner(trainer.session())
                .fetch(trainer.graph().loss().total())
                .fetch(trainer.graph().loss().crossEntropy())
                .fetch(trainer.graph().loss().weightDecayTerm())
                .run()) {
      float total = ((TFloat32) result.get(0)).getFloat();
      float crossEntropy = ((TFloat32) result.get(1)).getFloat();
      float decay = ((TFloat32) result.get(2)).getFloat();
      assertEquals(crossEntropy + decay, total, 1e-6f * total);
    }
  }
}
