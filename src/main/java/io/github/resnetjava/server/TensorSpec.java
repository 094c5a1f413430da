package io.github.resnetjava.server;

import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;

/**
 * One input or output of a SignatureDef: its alias (the key clients use), the graph tensor it names
 * ({@code "input:0"}), its dtype and its declared shape ({@code -1} for unknown sizes).
 */
record TensorSpec(String alias, String tensorName, DataType dtype, Shape shape) {

  static TensorSpec of(String alias, Signature.TensorDescription description) {
    return new TensorSpec(alias, description.name, description.dataType, description.shape);
  }

  /**
   * Requires a value's shape to fit the declared one: same rank, equal sizes wherever the signature
   * gives one. TF Serving leaves this to {@code Session::Run}; checking it here gives a message
   * that names the input, and keeps a bad request out of a merged batch.
   */
  void requireFits(HostTensor value) {
    if (value.dtype() != dtype) {
      throw ServingException.invalid(
          "Input '" + alias + "' must be " + dtype + "; got " + value.dtype());
    }
    if (shape.isUnknown()) {
      return;
    }
    boolean fits = value.rank() == shape.numDimensions();
    for (int i = 0; fits && i < value.rank(); i++) {
      fits = shape.get(i) < 0 || shape.get(i) == value.dim(i);
    }
    if (!fits) {
      throw ServingException.invalid(
          "Input '"
              + alias
              + "' must have shape "
              + shape
              + " (-1: any size); got "
              + java.util.Arrays.toString(value.shape()));
    }
  }
}
