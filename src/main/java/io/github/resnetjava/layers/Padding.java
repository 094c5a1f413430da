package io.github.resnetjava.layers;

/** TF1's {@code padding} argument of convolution and pooling layers. */
public enum Padding {
  /** Output size {@code ceil(in / stride)}; TF pads more at the end when the total is odd. */
  SAME,
  /** No padding: output size {@code ceil((in - window + 1) / stride)}. */
  VALID;

  /** The value TF ops take for their {@code padding} attribute. */
  public String tfName() {
    return name();
  }
}
