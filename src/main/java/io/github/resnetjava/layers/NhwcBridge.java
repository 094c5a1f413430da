package io.github.resnetjava.layers;

import java.util.function.UnaryOperator;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Runs an NHWC-only computation on a tensor of either layout.
 *
 * <p>TensorFlow's CPU kernels of {@code Conv2D}, {@code MaxPool} and {@code AvgPool} reject NCHW
 * ("only supports the NHWC tensor format"), so a channels_first model computes those three ops
 * between two transposes and stays NCHW everywhere else. On a GPU, grappler's layout optimizer
 * removes or merges the transposes; on a CPU they cost a copy each, which is why channels_last is
 * the faster choice there.
 */
final class NhwcBridge {
  private NhwcBridge() {}

  /**
   * Applies {@code nhwcOp} to {@code inputs} laid out as {@code layout}; returns {@code layout}.
   */
  static Operand<TFloat32> apply(
      Ops tf, Layout layout, Operand<TFloat32> inputs, UnaryOperator<Operand<TFloat32>> nhwcOp) {
    if (layout == Layout.NHWC) {
      return nhwcOp.apply(inputs);
    }
    Operand<TFloat32> nhwc = tf.linalg.transpose(inputs, tf.constant(Layout.NCHW_TO_NHWC));
    return tf.linalg.transpose(nhwcOp.apply(nhwc), tf.constant(Layout.NHWC_TO_NCHW));
  }
}
