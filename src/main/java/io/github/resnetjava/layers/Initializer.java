package io.github.resnetjava.layers;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Builds a variable's initial value in the graph, as TF1's {@code kernel_initializer} and {@code
 * bias_initializer} arguments do.
 */
@FunctionalInterface
public interface Initializer {

  /**
   * Returns ops computing the initial value.
   *
   * @param tf an init-scope ops factory named for this variable's initializer
   * @param shape the variable's full static shape
   * @param seed the op-level seeds to use, {@link OpSeed#UNSEEDED} for nondeterministic
   */
  Operand<TFloat32> create(Ops tf, Shape shape, OpSeed seed);

  /** All zeros: TF1 {@code tf.zeros_initializer()}, the default bias and beta initializer. */
  static Initializer zeros() {
    return constant(0f);
  }

  /** All ones: TF1 {@code tf.ones_initializer()}, the default gamma and moving variance. */
  static Initializer ones() {
    return constant(1f);
  }

  /** Every element {@code value}. */
  static Initializer constant(float value) {
    return (tf, shape, seed) -> tf.fill(tf.constant(shape), tf.constant(value));
  }

  /**
   * TF1 {@code tf.glorot_uniform_initializer()}, the default kernel initializer of {@code
   * tf.layers.conv2d} and {@code tf.layers.dense}: uniform in {@code [-limit, limit)} with {@code
   * limit = sqrt(6 / (fan_in + fan_out))}. For a kernel {@code [kh, kw, in, out]}, {@code fan_in =
   * kh * kw * in} and {@code fan_out = kh * kw * out}; for {@code [in, out]} the receptive field is
   * 1.
   */
  static Initializer glorotUniform() {
    return (tf, shape, seed) -> {
      float limit = glorotUniformLimit(shape);
      Operand<TFloat32> unit =
          tf.random.randomUniform(
              tf.constant(shape),
              TFloat32.class,
              org.tensorflow.op.random.RandomUniform.seed(seed.graphSeed()),
              org.tensorflow.op.random.RandomUniform.seed2(seed.opSeed()));
      return tf.math.add(tf.math.mul(unit, tf.constant(2 * limit)), tf.constant(-limit));
    };
  }

  /** The Glorot uniform bound {@code sqrt(6 / (fan_in + fan_out))} for a kernel shape. */
  static float glorotUniformLimit(Shape shape) {
    int rank = shape.numDimensions();
    if (rank < 2) {
      throw new IllegalArgumentException(
          "Glorot initialization needs a kernel of rank 2 or more; got shape " + shape);
    }
    long receptiveField = 1;
    for (int i = 0; i < rank - 2; i++) {
      receptiveField *= shape.get(i);
    }
    double fanIn = (double) shape.get(rank - 2) * receptiveField;
    double fanOut = (double) shape.get(rank - 1) * receptiveField;
    return (float) Math.sqrt(6.0 / (fanIn + fanOut));
  }
}
