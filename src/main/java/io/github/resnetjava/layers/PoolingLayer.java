package io.github.resnetjava.layers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * TF1 {@code tf.layers.max_pooling2d} and {@code tf.layers.average_pooling2d} with square windows
 * and equal strides on both spatial axes. Pooling layers own no variables; they are named like
 * other layers ({@code name}, or {@code max_pooling2d_N} / {@code average_pooling2d_N}).
 */
public final class PoolingLayer {
  private final Layout layout;

  /** Pooling over tensors laid out as {@code layout}. */
  public PoolingLayer(Layout layout) {
    this.layout = layout;
  }

  /** TF1 {@code tf.layers.max_pooling2d(inputs, poolSize, strides, padding, name=name)}. */
  public Operand<TFloat32> maxPooling2d(
      LayerScope scope,
      String name,
      Operand<TFloat32> inputs,
      int poolSize,
      int strides,
      Padding padding) {
    checkArguments(inputs, poolSize, strides, "max_pooling2d");
    Ops tf = scope.layer(name, "max_pooling2d").ops();
    return NhwcBridge.apply(
        tf,
        layout,
        inputs,
        nhwc ->
            tf.nn.maxPool(
                nhwc,
                int32Constant(tf, Layout.NHWC.spatialVector(poolSize)),
                int32Constant(tf, Layout.NHWC.spatialVector(strides)),
                padding.tfName()));
  }

  /** TF1 {@code tf.layers.average_pooling2d(inputs, poolSize, strides, padding, name=name)}. */
  public Operand<TFloat32> averagePooling2d(
      LayerScope scope,
      String name,
      Operand<TFloat32> inputs,
      int poolSize,
      int strides,
      Padding padding) {
    checkArguments(inputs, poolSize, strides, "average_pooling2d");
    Ops tf = scope.layer(name, "average_pooling2d").ops();
    return NhwcBridge.apply(
        tf,
        layout,
        inputs,
        nhwc ->
            tf.nn.avgPool(
                nhwc,
                Layout.NHWC.spatialVector(poolSize),
                Layout.NHWC.spatialVector(strides),
                padding.tfName()));
  }

  /** {@code MaxPoolV2} takes its window and strides as int32 tensors, {@code AvgPool} as lists. */
  private static Operand<TInt32> int32Constant(Ops tf, List<Long> vector) {
    return tf.constant(vector.stream().mapToInt(Math::toIntExact).toArray());
  }

  private void checkArguments(Operand<TFloat32> inputs, int poolSize, int strides, String what) {
    TensorShapes.requireImageBatch(inputs, layout, what + " input");
    TensorShapes.requirePositive("poolSize", poolSize);
    TensorShapes.requirePositive("strides", strides);
  }
}
