package io.github.resnetjava.summary;

import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link ModelSummary} as the text table Keras' {@code model.summary()} prints: one row
 * per layer (name and type, output shape, parameters, multiply-adds), then the totals.
 */
public final class SummaryTable {
  private static final String NAME_HEADER = "Layer (type)";
  private static final String SHAPE_HEADER = "Output Shape";
  private static final String PARAMS_HEADER = "Param #";
  private static final String MACS_HEADER = "Mult-Adds";
  private static final int GAP = 3;

  private SummaryTable() {}

  /** The whole table, lines separated by {@code \n}, ending with a newline. */
  public static String render(ModelSummary summary) {
    List<LayerSummary> layers = summary.layers();
    int nameWidth = width(NAME_HEADER, layers.stream().map(SummaryTable::nameCell).toList());
    int shapeWidth = width(SHAPE_HEADER, layers.stream().map(SummaryTable::shapeCell).toList());
    int paramsWidth = width(PARAMS_HEADER, layers.stream().map(l -> grouped(l.params())).toList());
    int macsWidth =
        width(MACS_HEADER, layers.stream().map(l -> grouped(l.multiplyAdds())).toList());
    String format =
        "%-"
            + nameWidth
            + "s"
            + " ".repeat(GAP)
            + "%-"
            + shapeWidth
            + "s"
            + " ".repeat(GAP)
            + "%"
            + paramsWidth
            + "s"
            + " ".repeat(GAP)
            + "%"
            + macsWidth
            + "s%n";
    int totalWidth = nameWidth + shapeWidth + paramsWidth + macsWidth + 3 * GAP;

    StringBuilder out = new StringBuilder();
    out.append("Model: ").append(summary.description()).append('\n');
    out.append("_".repeat(totalWidth)).append('\n');
    out.append(
        String.format(Locale.ROOT, format, NAME_HEADER, SHAPE_HEADER, PARAMS_HEADER, MACS_HEADER));
    out.append("=".repeat(totalWidth)).append('\n');
    for (LayerSummary layer : layers) {
      out.append(
          String.format(
              Locale.ROOT,
              format,
              nameCell(layer),
              shapeCell(layer),
              grouped(layer.params()),
              grouped(layer.multiplyAdds())));
    }
    out.append("=".repeat(totalWidth)).append('\n');
    out.append("Total params: ")
        .append(grouped(summary.totalParams()))
        .append(
            String.format(
                Locale.ROOT,
                " (%.2f MB as float32)%n",
                summary.totalParams() * Float.BYTES / (1024.0 * 1024.0)));
    out.append("Trainable params: ").append(grouped(summary.trainableParams())).append('\n');
    out.append("Non-trainable params: ").append(grouped(summary.nonTrainableParams())).append('\n');
    out.append("Multiply-adds per image: ")
        .append(grouped(summary.multiplyAdds()))
        .append(
            String.format(
                Locale.ROOT, " (%.2f G; conv2d and dense only)%n", summary.multiplyAdds() / 1e9));
    out.append("_".repeat(totalWidth)).append('\n');
    return out.toString();
  }

  private static String nameCell(LayerSummary layer) {
    return layer.name() + " (" + layer.kind().displayName() + ")";
  }

  /** Keras' notation: {@code (None, 112, 112, 64)}, an unknown size printed as {@code None}. */
  private static String shapeCell(LayerSummary layer) {
    long[] dims = layer.outputShape().asArray();
    StringBuilder cell = new StringBuilder("(");
    for (int i = 0; i < dims.length; i++) {
      cell.append(i == 0 ? "" : ", ").append(dims[i] < 0 ? "None" : Long.toString(dims[i]));
    }
    return cell.append(')').toString();
  }

  private static String grouped(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }

  private static int width(String header, List<String> cells) {
    return Math.max(header.length(), cells.stream().mapToInt(String::length).max().orElse(0));
  }
}
