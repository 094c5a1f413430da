package io.github.resnetjava.layers;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * TF1 {@code tf.layers.dense} with its defaults: {@code inputs @ kernel + bias}, kernel {@code [in,
 * units]} Glorot-uniform, bias zeros, no activation.
 */
public final class DenseLayer {
  private final WeightStore store;

  /** A dense-layer factory whose layers create variables in {@code store}. */
  public DenseLayer(WeightStore store) {
    this.store = store;
  }

  /**
   * Builds the affine map of {@code inputs}.
   *
   * @param scope the enclosing variable scope
   * @param name the layer name, or {@code null} for TF1's automatic {@code dense_N}
   * @param inputs {@code [batch, in]} with {@code in} statically known
   * @param units output width
   * @return {@code [batch, units]}
   */
  public Operand<TFloat32> apply(
      LayerScope scope, String name, Operand<TFloat32> inputs, int units) {
    TensorShapes.requirePositive("units", units);
    Shape shape = inputs.shape();
    if (shape.numDimensions() != 2 || shape.get(1) < 1) {
      throw new IllegalArgumentException(
          "dense input must be [batch, features] with known features; got shape " + shape);
    }
    LayerScope layer = scope.layer(name, "dense");
    Operand<TFloat32> kernel =
        store.get(
            layer, "kernel", Shape.of(shape.get(1), units), Initializer.glorotUniform(), true);
    Operand<TFloat32> bias = store.get(layer, "bias", Shape.of(units), Initializer.zeros(), true);
    Ops tf = layer.ops();
    return tf.nn.biasAdd(tf.linalg.matMul(inputs, kernel), bias);
  }
}
