package io.github.resnetjava.layers;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;

/**
 * Where layers get their weights: TF1's {@code tf.get_variable}, abstracted so that the same layer
 * code builds a trainable graph on variables ({@link VariableStore}) or a frozen inference graph on
 * constants ({@link FrozenWeights}).
 */
public interface WeightStore {

  /**
   * The weight {@code scope/name} of {@code shape}: created on first request, the same one after.
   *
   * @param initializer the initial value, for stores that create variables
   * @param trainable whether gradients should update it (false for moving statistics)
   * @throws IllegalArgumentException if the weight exists (or was given) with another shape
   */
  Operand<TFloat32> get(
      LayerScope scope, String name, Shape shape, Initializer initializer, boolean trainable);

  /**
   * Registers a training-mode state update (TF1 {@code UPDATE_OPS}).
   *
   * @throws IllegalStateException for stores whose weights cannot change
   */
  void addUpdateOp(Op op);
}
