package io.github.resnetjava.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * Draws a run's learning curves as a PNG with Java2D (headless), as TensorBoard's scalar charts
 * show them: the training loss (raw and smoothed) above, the training accuracy (smoothed) and the
 * validation accuracy below, both against the step.
 *
 * <p>Smoothing is TensorBoard's exponential moving average with weight {@value #SMOOTHING}.
 */
public final class MetricsPlot {
  /** TensorBoard's default smoothing weight. */
  static final double SMOOTHING = 0.9;

  private static final int WIDTH = 900;
  private static final int PANEL_HEIGHT = 300;
  private static final int LEFT = 70;
  private static final int RIGHT = 30;
  private static final int TOP = 36;
  private static final int BOTTOM = 40;
  private static final Color TRAIN = new Color(0x1f, 0x77, 0xb4);
  private static final Color TRAIN_RAW = new Color(0x1f, 0x77, 0xb4, 0x50);
  private static final Color VALIDATION = new Color(0xd6, 0x27, 0x28);
  private static final Color GRID = new Color(0xe0, 0xe0, 0xe0);

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private MetricsPlot() {}

  /**
   * Writes the plot of {@code rows} to {@code png}.
   *
   * @param title drawn above the plot
   * @throws UncheckedIOException if the file cannot be written
   */
  public static void write(List<MetricsCsv.Row> rows, String title, Path png) {
    BufferedImage image =
        new BufferedImage(WIDTH, 2 * PANEL_HEIGHT + 24, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
      g.drawString(title, LEFT, 20);
      double maxStep = rows.isEmpty() ? 1 : Math.max(1, rows.get(rows.size() - 1).step());
      double maxLoss = 0;
      for (MetricsCsv.Row row : rows) {
        maxLoss = Math.max(maxLoss, row.loss());
      }
      Panel loss = new Panel(g, 24, maxStep, niceCeiling(maxLoss), "loss");
      loss.axes();
      loss.line(rows, MetricsCsv.Row::loss, TRAIN_RAW, 1f, false);
      loss.line(rows, MetricsCsv.Row::loss, TRAIN, 2f, true);
      // Loss falls and accuracy rises: each legend goes where its curves end up not being.
      loss.legend(
          List.of("training loss (smoothed)", "training loss"), List.of(TRAIN, TRAIN_RAW), false);

      Panel accuracy = new Panel(g, 24 + PANEL_HEIGHT, maxStep, 1.0, "accuracy");
      accuracy.axes();
      accuracy.line(rows, MetricsCsv.Row::trainAccuracy, TRAIN, 2f, true);
      accuracy.validation(rows);
      accuracy.legend(
          List.of("training accuracy (smoothed)", "validation accuracy"),
          List.of(TRAIN, VALIDATION),
          true);
    } finally {
      g.dispose();
    }
    try {
      ImageIO.write(image, "png", png.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write plot " + png, e);
    }
  }

  /** 1, 2 or 5 times a power of ten, at least {@code value}, for the loss axis. */
  static double niceCeiling(double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      return 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10(value)));
    for (double step : new double[] {1, 2, 5, 10}) {
      if (step * power >= value) {
        return step * power;
      }
    }
    return 10 * power;
  }

  /** One chart: a plot area with its axes mapping step and value to pixels. */
  private static final class Panel {
    private final Graphics2D g;
    private final int top;
    private final double maxStep;
    private final double maxValue;
    private final String label;
    private final int plotWidth = WIDTH - LEFT - RIGHT;
    private final int plotHeight = PANEL_HEIGHT - TOP - BOTTOM;

    Panel(Graphics2D g, int top, double maxStep, double maxValue, String label) {
      this.g = g;
      this.top = top;
      this.maxStep = maxStep;
      this.maxValue = maxValue;
      this.label = label;
    }

    double x(double step) {
      return LEFT + step / maxStep * plotWidth;
    }

    double y(double value) {
      double clamped = Math.max(0, Math.min(maxValue, value));
      return top + TOP + plotHeight - clamped / maxValue * plotHeight;
    }

    void axes() {
      g.setStroke(new BasicStroke(1f));
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      for (int i = 0; i <= 5; i++) {
        double value = maxValue * i / 5;
        int py = (int) Math.round(y(value));
        g.setColor(GRID);
        g.drawLine(LEFT, py, LEFT + plotWidth, py);
        g.setColor(Color.DARK_GRAY);
        g.drawString(String.format(Locale.ROOT, "%.2f", value), LEFT - 40, py + 4);
        double step = maxStep * i / 5;
        int px = (int) Math.round(x(step));
        g.drawLine(px, top + TOP + plotHeight, px, top + TOP + plotHeight + 4);
        g.drawString(
            String.format(Locale.ROOT, "%d", Math.round(step)),
            px - 10,
            top + TOP + plotHeight + 17);
      }
      g.setColor(Color.BLACK);
      g.drawRect(LEFT, top + TOP, plotWidth, plotHeight);
      g.drawString("step", LEFT + plotWidth / 2 - 10, top + TOP + plotHeight + 32);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
      g.drawString(label, LEFT, top + TOP - 8);
    }

    void line(
        List<MetricsCsv.Row> rows,
        ToDoubleFunction<MetricsCsv.Row> metric,
        Color colour,
        float width,
        boolean smoothed) {
      Path2D.Double path = new Path2D.Double();
      double average = Double.NaN;
      for (MetricsCsv.Row row : rows) {
        double value = metric.applyAsDouble(row);
        average = Double.isNaN(average) ? value : SMOOTHING * average + (1 - SMOOTHING) * value;
        double shown = smoothed ? average : value;
        if (path.getCurrentPoint() == null) {
          path.moveTo(x(row.step()), y(shown));
        } else {
          path.lineTo(x(row.step()), y(shown));
        }
      }
      g.setColor(colour);
      g.setStroke(new BasicStroke(width));
      g.draw(path);
    }

    void validation(List<MetricsCsv.Row> rows) {
      Path2D.Double path = new Path2D.Double();
      g.setColor(VALIDATION);
      g.setStroke(new BasicStroke(2f));
      for (MetricsCsv.Row row : rows) {
        if (row.validationAccuracy().isEmpty()) {
          continue;
        }
        double px = x(row.step());
        double py = y(row.validationAccuracy().getAsDouble());
        if (path.getCurrentPoint() == null) {
          path.moveTo(px, py);
        } else {
          path.lineTo(px, py);
        }
        g.fill(new Ellipse2D.Double(px - 3.5, py - 3.5, 7, 7));
      }
      g.draw(path);
    }

    void legend(List<String> names, List<Color> colours, boolean atBottom) {
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      int x = LEFT + plotWidth - 210;
      int boxTop = atBottom ? top + TOP + plotHeight - 8 - 16 * names.size() : top + TOP + 4;
      g.setColor(new Color(255, 255, 255, 220));
      g.fillRect(x - 6, boxTop, 210, 16 * names.size() + 4);
      for (int i = 0; i < names.size(); i++) {
        int y = boxTop + 12 + 16 * i;
        g.setColor(colours.get(i));
        g.fillRect(x, y - 8, 18, 4);
        g.setColor(Color.BLACK);
        g.drawString(names.get(i), x + 24, y - 2);
      }
    }
  }
}
