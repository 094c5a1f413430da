package io.github.resnetjava.summary;

import io.github.resnetjava.model.DataFormat;
import java.util.List;

/**
 * A Keras-style summary of a built model: its layers in graph order with totals.
 *
 * @param description what was summarized, e.g. {@code ResNet-50 v2, 1000 classes, 224x224 input,
 *     channels_last}
 * @param dataFormat the layout every image-shaped {@link LayerSummary#outputShape()} is given in
 * @param layers one row per layer, in the order the model created them
 */
public record ModelSummary(String description, DataFormat dataFormat, List<LayerSummary> layers) {

  /** Copies {@code layers} so the summary cannot change afterwards. */
  public ModelSummary {
    layers = List.copyOf(layers);
  }

  /** Elements of every variable of the model. */
  public long totalParams() {
    return trainableParams() + nonTrainableParams();
  }

  /** Elements of the variables training updates by gradient. */
  public long trainableParams() {
    return layers.stream().mapToLong(LayerSummary::trainableParams).sum();
  }

  /** Elements of the batch-norm moving statistics. */
  public long nonTrainableParams() {
    return layers.stream().mapToLong(LayerSummary::nonTrainableParams).sum();
  }

  /** Multiply-accumulate operations of one image's forward pass (convolutions and dense). */
  public long multiplyAdds() {
    return layers.stream().mapToLong(LayerSummary::multiplyAdds).sum();
  }
}
