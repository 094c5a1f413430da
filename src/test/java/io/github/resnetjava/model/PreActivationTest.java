package io.github.resnetjava.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resnetjava.testing.ReferenceOps;
import io.github.resnetjava.testing.TensorData;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Python pre_activation: relu(batch_normalization(x)) with TF1 defaults (epsilon 1e-3, momentum
 * 0.99), checked against the batch-norm formula computed in plain Java.
 */
class PreActivationTest {
  private static final int N = 2, H = 3, W = 3, C = 4;
  private static final double EPSILON = 1e-3;
  private static final float[] GAMMA = {1.5f, 0.5f, -1f, 2f};
  private static final float[] BETA = {0.1f, -0.2f, 0.3f, 0f};
  private static final float[] MOVING_MEAN = {0.2f, -0.1f, 0.05f, 0.4f};
  private static final float[] MOVING_VARIANCE = {0.8f, 1.3f, 0.5f, 2f};

  /** One preActivation on fixed NHWC data, with the batch-norm variables set to the constants. */
  private static final class OneBatchNorm implements AutoCloseable {
    final Graph graph = new Graph();
    final Ops tf = Ops.create(graph);
    final ResNetModel model;
    final Operand<TFloat32> output;
    final float[] inputNhwc = TensorData.randomValues(N * H * W * C, 11);
    final List<Op> setVariables;
    final Session session;

    OneBatchNorm(DataFormat format, boolean training) {
      model = new ResNetModel(tf, 8, 8, 18, 2, format);
      boolean first = format == DataFormat.CHANNELS_FIRST;
      Shape shape = first ? Shape.of(N, C, H, W) : Shape.of(N, H, W, C);
      output =
          model.preActivation(
              TensorData.constant(
                  tf, shape, first ? TensorData.nhwcToNchw(inputNhwc, N, H, W, C) : inputNhwc),
              training);
      setVariables =
          List.of(
              set("gamma", GAMMA), set("beta", BETA),
              set("moving_mean", MOVING_MEAN), set("moving_variance", MOVING_VARIANCE));
      session = new Session(graph);
      setVariables.forEach(session::run);
    }

    Variable<TFloat32> variable(String name) {
      return model.variables().get("batch_normalization/" + name);
    }

    private Op set(String name, float[] values) {
      return tf.assign(variable(name), TensorData.constant(tf, Shape.of(C), values));
    }

    float[] outputNhwc(DataFormat format) {
      float[] out = TensorData.fetch(session, output);
      return format == DataFormat.CHANNELS_FIRST ? TensorData.nchwToNhwc(out, N, H, W, C) : out;
    }

    @Override
    public void close() {
      session.close();
      graph.close();
    }
  }

  @ParameterizedTest
  @EnumSource(DataFormat.class)
  void inferenceNormalizesWithTheMovingStatistics(DataFormat format) {
    try (OneBatchNorm bn = new OneBatchNorm(format, false)) {
      float[] expected =
          ReferenceOps.batchNormRelu(
              bn.inputNhwc,
              C,
              toDouble(MOVING_MEAN),
              toDouble(MOVING_VARIANCE),
              GAMMA,
              BETA,
              EPSILON);
      assertArrayEquals(expected, bn.outputNhwc(format), 1e-5f);
      assertTrue(bn.model.updateOps().isEmpty(), "inference adds no update ops");
    }
  }

  @ParameterizedTest
  @EnumSource(DataFormat.class)
  void trainingNormalizesWithTheBatchMeanAndBiasedVariance(DataFormat format) {
    try (OneBatchNorm bn = new OneBatchNorm(format, true)) {
      float[] expected =
          ReferenceOps.batchNormRelu(
              bn.inputNhwc,
              C,
              ReferenceOps.channelMean(bn.inputNhwc, C),
              ReferenceOps.channelVariance(bn.inputNhwc, C, false),
              GAMMA,
              BETA,
              EPSILON);
      assertArrayEquals(expected, bn.outputNhwc(format), 1e-5f);
    }
  }

  @ParameterizedTest
  @EnumSource(DataFormat.class)
  void oneRunOfTheUpdateOpsMovesTheAveragesByMomentum(DataFormat format) {
    try (OneBatchNorm bn = new OneBatchNorm(format, true)) {
      assertEquals(2, bn.model.updateOps().size(), "moving mean and moving variance");
      bn.outputNhwc(format);
      assertArrayEquals(
          MOVING_MEAN,
          TensorData.fetch(bn.session, bn.variable("moving_mean")),
          0f,
          "the forward output alone changes nothing");

      double[] batchMean = ReferenceOps.channelMean(bn.inputNhwc, C);
      double[] batchVariance = ReferenceOps.channelVariance(bn.inputNhwc, C, true);
      float[] mean = MOVING_MEAN.clone();
      float[] variance = MOVING_VARIANCE.clone();
      for (int step = 0; step < 2; step++) {
        var runner = bn.session.runner();
        bn.model.updateOps().forEach(runner::addTarget);
        runner.run().close();
        for (int c = 0; c < C; c++) {
          // assign_moving_average: v -= (v - batch) * (1 - 0.99)
          mean[c] -= (float) ((mean[c] - batchMean[c]) * 0.01);
          variance[c] -= (float) ((variance[c] - batchVariance[c]) * 0.01);
        }
        assertArrayEquals(mean, TensorData.fetch(bn.session, bn.variable("moving_mean")), 1e-6f);
        assertArrayEquals(
            variance, TensorData.fetch(bn.session, bn.variable("moving_variance")), 1e-6f);
      }
    }
  }

  @Test
  void onlyGammaAndBetaAreTrainable() {
    try (OneBatchNorm bn = new OneBatchNorm(DataFormat.CHANNELS_LAST, true)) {
      assertEquals(
          List.of(
              "batch_normalization/gamma",
              "batch_normalization/beta",
              "batch_normalization/moving_mean",
              "batch_normalization/moving_variance"),
          List.copyOf(bn.model.variables().keySet()));
      assertEquals(
          List.of(bn.variable("gamma"), bn.variable("beta")), bn.model.trainableVariables());
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
