package io.github.resnetjava.summary;

import io.github.resnetjava.layers.BatchNormalizationLayer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.tensorflow.GraphOperation;

/**
 * The kinds of layer a model summary lists, each recognised by the TensorFlow op that does its
 * work: a layer is the name scope holding one such op.
 */
public enum LayerKind {
  /** TF1 {@code tf.layers.conv2d}, recognised by its {@code Conv2D} op. */
  CONV2D("Conv2D", "Conv2D"),
  /**
   * TF1 {@code tf.layers.batch_normalization}, recognised by {@code FusedBatchNormV3} (training) or
   * its inference-mode output op (see {@link #of}).
   */
  BATCH_NORMALIZATION("BatchNormalization", "FusedBatchNormV3"),
  /**
   * TF1 {@code tf.layers.max_pooling2d}, recognised by its {@code MaxPool} op, or {@code MaxPoolV2}
   * when the window and strides are tensors, as TF Java's {@code nn.maxPool} builds it.
   */
  MAX_POOLING2D("MaxPooling2D", "MaxPool", "MaxPoolV2"),
  /** TF1 {@code tf.layers.average_pooling2d}, recognised by its {@code AvgPool} op. */
  AVERAGE_POOLING2D("AveragePooling2D", "AvgPool"),
  /** TF1 {@code tf.layers.dense}, recognised by its {@code MatMul} op. */
  DENSE("Dense", "MatMul");

  private final String displayName;
  private final List<String> opTypes;

  LayerKind(String displayName, String... opTypes) {
    this.displayName = displayName;
    this.opTypes = List.of(opTypes);
  }

  /** The Keras class name of this kind of layer, as summary tables print it. */
  public String displayName() {
    return displayName;
  }

  /** The types of the graph ops that identify a layer of this kind. */
  public List<String> opTypes() {
    return opTypes;
  }

  /**
   * The kind of layer whose work {@code op} does, if any: by its type, or, for an inference-mode
   * batch norm (a {@code BiasAdd} after a {@code Mul}), by its name {@value
   * BatchNormalizationLayer#INFERENCE_OP_NAME}.
   */
  public static Optional<LayerKind> of(GraphOperation op) {
    if (op.name().endsWith("/" + BatchNormalizationLayer.INFERENCE_OP_NAME)) {
      return Optional.of(BATCH_NORMALIZATION);
    }
    return ofOpType(op.type());
  }

  /** The kind of layer whose work an op of type {@code opType} does, if any. */
  private static Optional<LayerKind> ofOpType(String opType) {
    return Arrays.stream(values()).filter(kind -> kind.opTypes.contains(opType)).findFirst();
  }
}
