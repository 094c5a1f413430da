package io.github.resnetjava.layers;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.types.TFloat32;

/**
 * TF1 {@code tf.layers.conv2d} with its defaults: a square kernel {@code [k, k, in, filters]}
 * initialized Glorot-uniform, a zero-initialized bias, no activation, no dilation.
 *
 * <p>Variables are {@code <layer>/kernel} and {@code <layer>/bias}, where the layer is named {@code
 * name} or, when null, {@code conv2d}, {@code conv2d_1}, ... within the current scope.
 */
public final class Conv2dLayer {
  private final WeightStore store;
  private final Layout layout;

  /** The weights of one convolution layer, and the scope they live in. */
  record Weights(LayerScope layer, Operand<TFloat32> kernel, Operand<TFloat32> bias) {}

  /** A conv2d factory whose layers take weights from {@code store} and read {@code layout}. */
  public Conv2dLayer(WeightStore store, Layout layout) {
    this.store = store;
    this.layout = layout;
  }

  /**
   * Builds {@code conv2d(inputs) + bias}.
   *
   * @param scope the enclosing variable scope
   * @param name the layer name, or {@code null} for TF1's automatic {@code conv2d_N}
   * @param inputs {@code [batch, height, width, in]} (NHWC) or {@code [batch, in, height, width]}
   * @param filters output channels
   * @param kernelSize square kernel side
   * @param strides the same stride on both spatial axes
   * @param padding TF padding algorithm
   * @return the convolution in the same layout as {@code inputs}
   */
  public Operand<TFloat32> apply(
      LayerScope scope,
      String name,
      Operand<TFloat32> inputs,
      int filters,
      int kernelSize,
      int strides,
      Padding padding) {
    Weights weights = weights(scope, name, inputs, filters, kernelSize, strides);
    return convolve(
        weights.layer().ops(), inputs, weights.kernel(), weights.bias(), strides, padding);
  }

  /** Validates the arguments and gets (or creates) the layer's kernel and bias. */
  Weights weights(
      LayerScope scope,
      String name,
      Operand<TFloat32> inputs,
      int filters,
      int kernelSize,
      int strides) {
    Shape kernelShape = kernelShape(inputs, filters, kernelSize, strides);
    return weightsOf(layer(scope, name), kernelShape);
  }

  /**
   * Validates the arguments and returns the kernel shape {@code [k, k, in, filters]} a layer
   * reading {@code inputs} has.
   */
  Shape kernelShape(Operand<TFloat32> inputs, int filters, int kernelSize, int strides) {
    TensorShapes.requirePositive("filters", filters);
    TensorShapes.requirePositive("kernelSize", kernelSize);
    TensorShapes.requirePositive("strides", strides);
    int inChannels = TensorShapes.channels(inputs, layout, "conv2d input");
    return Shape.of(kernelSize, kernelSize, inChannels, filters);
  }

  /** The next layer's scope: {@code name}, or TF1's automatic {@code conv2d_N} when null. */
  static LayerScope layer(LayerScope scope, String name) {
    return scope.layer(name, "conv2d");
  }

  /** Gets (or creates) the kernel and bias of the layer in scope {@code layer}. */
  Weights weightsOf(LayerScope layer, Shape kernelShape) {
    Operand<TFloat32> kernel =
        store.get(layer, "kernel", kernelShape, Initializer.glorotUniform(), true);
    Operand<TFloat32> bias =
        store.get(
            layer,
            "bias",
            Shape.of(kernelShape.get(kernelShape.numDimensions() - 1)),
            Initializer.zeros(),
            true);
    return new Weights(layer, kernel, bias);
  }

  /**
   * {@code Conv2D + BiasAdd} in NHWC (the form TF's CPU kernels and grappler's fusions expect),
   * between transposes for an NCHW layout.
   */
  Operand<TFloat32> convolve(
      Ops tf,
      Operand<TFloat32> inputs,
      Operand<TFloat32> kernel,
      Operand<TFloat32> bias,
      int strides,
      Padding padding) {
    return NhwcBridge.apply(
        tf,
        layout,
        inputs,
        nhwc ->
            tf.nn.biasAdd(
                tf.nn.conv2d(
                    nhwc,
                    kernel,
                    Layout.NHWC.spatialVector(strides),
                    padding.tfName(),
                    Conv2d.dataFormat(Layout.NHWC.tfName())),
                bias));
  }
}
