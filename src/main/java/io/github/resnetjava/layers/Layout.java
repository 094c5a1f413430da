package io.github.resnetjava.layers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TType;

/**
 * The memory layout of a 4-D image tensor, as TensorFlow's {@code data_format} attribute names it.
 *
 * <p>{@code NHWC} is {@code [batch, height, width, channels]} (TF1 {@code channels_last}); {@code
 * NCHW} is {@code [batch, channels, height, width]} (TF1 {@code channels_first}).
 */
public enum Layout {
  /** {@code [batch, height, width, channels]}. */
  NHWC(3, 1, 2),
  /** {@code [batch, channels, height, width]}. */
  NCHW(1, 2, 3);

  /** Permutation that turns an NCHW tensor into NHWC. */
  static final int[] NCHW_TO_NHWC = {0, 2, 3, 1};

  /** Permutation that turns an NHWC tensor into NCHW. */
  static final int[] NHWC_TO_NCHW = {0, 3, 1, 2};

  private final int channelAxis;
  private final int heightAxis;
  private final int widthAxis;

  Layout(int channelAxis, int heightAxis, int widthAxis) {
    this.channelAxis = channelAxis;
    this.heightAxis = heightAxis;
    this.widthAxis = widthAxis;
  }

  /**
   * The axis that holds channels: 3 for NHWC, 1 for NCHW (the Python {@code axis} of batch norm).
   */
  public int channelAxis() {
    return channelAxis;
  }

  /** The axis that holds image rows. */
  public int heightAxis() {
    return heightAxis;
  }

  /** The axis that holds image columns. */
  public int widthAxis() {
    return widthAxis;
  }

  /**
   * {@code imagesNhwc} in this layout: itself for NHWC, a {@code Transpose} by {@link
   * #NHWC_TO_NCHW} for NCHW, as the official TF ResNet's {@code Model.__call__} turns its NHWC
   * input to channels_first ({@code tf.transpose(inputs, [0, 3, 1, 2])}).
   *
   * @param imagesNhwc {@code [batch, height, width, channels]}
   * @return {@code imagesNhwc} in this layout
   */
  public <T extends TType> Operand<T> fromNhwc(Ops tf, Operand<T> imagesNhwc) {
    if (this == NHWC) {
      return imagesNhwc;
    }
    return tf.linalg.transpose(imagesNhwc, tf.constant(NHWC_TO_NCHW));
  }

  /** The value TensorFlow ops take for their {@code data_format} attribute. */
  public String tfName() {
    return name();
  }

  /**
   * A 4-element list with {@code spatial} on both spatial axes and 1 elsewhere, the form TF takes
   * for {@code strides} and {@code ksize}.
   */
  public List<Long> spatialVector(long spatial) {
    Long[] values = {1L, 1L, 1L, 1L};
    values[heightAxis] = spatial;
    values[widthAxis] = spatial;
    return List.of(values);
  }

  /**
   * TF {@code Pad} amounts {@code [4, 2]} that pad both spatial axes by {@code before} and {@code
   * after}, as the Python {@code custom_padding} builds them.
   */
  public int[][] spatialPaddings(int before, int after) {
    int[][] paddings = new int[4][2];
    paddings[heightAxis] = new int[] {before, after};
    paddings[widthAxis] = new int[] {before, after};
    return paddings;
  }
}
