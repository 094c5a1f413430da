package io.github.resnetjava.cli;

import io.github.resnetjava.serving.Prediction;
import java.util.List;
import java.util.Locale;

/** Renders one image's predictions as a table: rank, class index, label, probability. */
final class PredictionTable {
  private static final String LABEL_HEADER = "label";

  private PredictionTable() {}

  /** The table, an indented header line and one line per prediction, in the given order. */
  static String render(List<Prediction> predictions) {
    int labelWidth = LABEL_HEADER.length();
    for (Prediction prediction : predictions) {
      labelWidth = Math.max(labelWidth, prediction.label().length());
    }
    String format = "  %4s  %5s  %-" + labelWidth + "s  %11s%n";
    StringBuilder table = new StringBuilder();
    table.append(String.format(Locale.ROOT, format, "rank", "class", LABEL_HEADER, "probability"));
    for (int i = 0; i < predictions.size(); i++) {
      Prediction prediction = predictions.get(i);
      table.append(
          String.format(
              Locale.ROOT,
              format,
              i + 1,
              prediction.classIndex(),
              prediction.label(),
              String.format(Locale.ROOT, "%.6f", prediction.probability())));
    }
    return table.toString();
  }
}
