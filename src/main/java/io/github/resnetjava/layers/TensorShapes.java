package io.github.resnetjava.layers;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;

/** Static-shape checks shared by every layer, with messages that say what to change. */
public final class TensorShapes {
  private TensorShapes() {}

  /**
   * Requires {@code inputs} to be a 4-D image batch in {@code layout}.
   *
   * @param what the argument's role, for the message
   * @return the static shape
   */
  public static Shape requireImageBatch(Operand<?> inputs, Layout layout, String what) {
    Shape shape = inputs.shape();
    if (shape.isUnknown() || shape.numDimensions() != 4) {
      throw new IllegalArgumentException(
          what
              + " must be rank 4 "
              + describe(layout)
              + "; got shape "
              + shape
              + (shape.numDimensions() == 3 ? " (add a batch dimension)" : ""));
    }
    return shape;
  }

  /**
   * The static channel count of a 4-D image batch.
   *
   * @throws IllegalArgumentException if the channel axis is not statically known
   */
  public static int channels(Operand<?> inputs, Layout layout, String what) {
    Shape shape = requireImageBatch(inputs, layout, what);
    long channels = shape.get(layout.channelAxis());
    if (channels < 1) {
      throw new IllegalArgumentException(
          what
              + " needs a known channel count at axis "
              + layout.channelAxis()
              + " "
              + describe(layout)
              + "; got shape "
              + shape);
    }
    return Math.toIntExact(channels);
  }

  /** Requires {@code value >= 1}. */
  public static void requirePositive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be an integer >= 1; got " + value);
    }
  }

  /** {@code "[batch, height, width, channels] (NHWC)"} or the NCHW equivalent. */
  public static String describe(Layout layout) {
    return layout == Layout.NHWC
        ? "[batch, height, width, channels] (channels_last, NHWC)"
        : "[batch, channels, height, width] (channels_first, NCHW)";
  }
}
