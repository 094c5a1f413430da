package io.github.resnetjava.train;

import static io.github.resnetjava.train.TrainingFixtures.BATCH;
import static io.github.resnetjava.train.TrainingFixtures.randomBatch;
import static io.github.resnetjava.train.TrainingFixtures.smallConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.resnetjava.testing.ReferenceOps;
import io.github.resnetjava.testing.TensorData;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Each training step moves every batch norm's moving statistics by TF1's {@code
 * assign_moving_average} with momentum 0.99: {@code v -= (v - batch) * 0.01}, where batch is the
 * mean and the Bessel-corrected variance of the layer's input, recomputed here in plain Java.
 */
class BatchNormMovingAverageTest {
  private static final int STEPS = 3;
  private static final double DECAY = 1 - 0.99;

  /** One training-mode batch norm: its input and its two moving statistics. */
  private record Norm(
      String scope,
      Output<?> input,
      Variable<TFloat32> movingMean,
      Variable<TFloat32> movingVariance) {}

  @Test
  void movingAveragesFollowTheBatchStatisticsOfEveryStep() {
    try (Trainer trainer = new Trainer(smallConfig().build())) {
      List<Norm> norms = trainingNorms(trainer);
      assertEquals(17, norms.size(), "ResNet-18 has 17 batch norms");
      Session session = trainer.session();
      double[][] mean = new double[norms.size()][];
      double[][] variance = new double[norms.size()][];
      try (Result initial = fetchMoving(session.runner(), norms).run()) {
        for (int n = 0; n < norms.size(); n++) {
          mean[n] = toDouble(TensorData.values(initial.get(2 * n)));
          variance[n] = toDouble(TensorData.values(initial.get(2 * n + 1)));
        }
      }
      for (int step = 0; step < STEPS; step++) {
        try (TrainingFeed feed =
            new TrainingFeed(trainer.graph(), randomBatch(BATCH, 40 + step), 0.05)) {
          Session.Runner runner = feed.runner(session).addTarget(trainer.graph().trainOp());
          norms.forEach(norm -> runner.fetch(norm.input()));
          try (Result result = runner.run()) {
            for (int n = 0; n < norms.size(); n++) {
              float[] x = TensorData.values(result.get(n));
              int channels = (int) norms.get(n).movingMean().shape().get(0);
              double[] batchMean = ReferenceOps.channelMean(x, channels);
              double[] batchVariance = ReferenceOps.channelVariance(x, channels, true);
              for (int c = 0; c < channels; c++) {
                mean[n][c] -= (mean[n][c] - batchMean[c]) * DECAY;
                variance[n][c] -= (variance[n][c] - batchVariance[c]) * DECAY;
              }
            }
          }
        }
        try (Result moving = fetchMoving(session.runner(), norms).run()) {
          for (int n = 0; n < norms.size(); n++) {
            assertClose(
                mean[n],
                TensorData.values(moving.get(2 * n)),
                norms.get(n).scope() + " moving_mean after step " + step);
            assertClose(
                variance[n],
                TensorData.values(moving.get(2 * n + 1)),
                norms.get(n).scope() + " moving_variance after step " + step);
          }
        }
      }
    }
  }

  /** The FusedBatchNormV3 ops of the training pass, with their layers' moving statistics. */
  private static List<Norm> trainingNorms(Trainer trainer) {
    List<Norm> norms = new ArrayList<>();
    for (Iterator<GraphOperation> ops = trainer.graph().graph().operations(); ops.hasNext(); ) {
      GraphOperation op = ops.next();
      if (op.type().equals("FusedBatchNormV3") && op.attributes().getAttrBool("is_training")) {
        String gamma = op.input(1).op().name();
        String scope = gamma.substring(0, gamma.length() - "/gamma".length());
        var variables = trainer.graph().model().variables();
        norms.add(
            new Norm(
                scope,
                op.input(0),
                variables.get(scope + "/moving_mean"),
                variables.get(scope + "/moving_variance")));
      }
    }
    return norms;
  }

  private static Session.Runner fetchMoving(Session.Runner runner, List<Norm> norms) {
    for (Norm norm : norms) {
      runner.fetch(norm.movingMean()).fetch(norm.movingVariance());
    }
    return runner;
  }

  private static void assertClose(double[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int c = 0; c < expected.length; c++) {
      assertEquals(
          expected[c], actual[c], 1e-5 + 1e-4 * Math.abs(expected[c]), what + " channel " + c);
    }
  }

  private static double[] toDouble(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
