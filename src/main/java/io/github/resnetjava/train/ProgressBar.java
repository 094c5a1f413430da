package io.github.resnetjava.train;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Training progress on the terminal, in the spirit of Keras' {@code Progbar}: step, loss, accuracy,
 * images per second and the estimated time left.
 *
 * <p>On an interactive console the bar is one line redrawn in place with {@code \r}; other messages
 * (validation results, checkpoints) are printed above it. When the output is a file or a pipe (a CI
 * log), a plain line is printed every {@code logEvery} steps instead, since carriage returns would
 * only pile up there.
 *
 * <p>Not thread-safe: the training loop calls it.
 */
public final class ProgressBar {
  private static final int BAR_WIDTH = 24;

  private final PrintWriter out;
  private final boolean interactive;
  private final long totalSteps;
  private final int batchSize;
  private final long logEvery;
  private int drawnLength;

  /**
   * @param out where to print
   * @param interactive redraw one line with {@code \r} (a terminal) or print plain lines
   * @param totalSteps the step the run ends at
   * @param batchSize images per step, for the time estimate
   * @param logEvery steps between plain lines when not interactive, {@code >= 1}
   */
  public ProgressBar(
      PrintWriter out, boolean interactive, long totalSteps, int batchSize, long logEvery) {
    if (logEvery < 1) {
      throw new IllegalArgumentException("logEvery must be >= 1; got " + logEvery);
    }
    this.out = out;
    this.interactive = interactive;
    this.totalSteps = totalSteps;
    this.batchSize = batchSize;
    this.logEvery = logEvery;
  }

  /** Whether this JVM's standard output is an interactive terminal (Java 17's console test). */
  public static boolean isTerminal() {
    return System.console() != null;
  }

  /**
   * Shows the state after {@code completedSteps} steps.
   *
   * @param loss the latest step's loss
   * @param accuracy the latest step's training accuracy, 0..1
   * @param imagesPerSecond recent throughput, 0 when unknown
   */
  public void update(long completedSteps, double loss, double accuracy, double imagesPerSecond) {
    String line = line(completedSteps, loss, accuracy, imagesPerSecond);
    if (interactive) {
      redraw(line);
    } else if (completedSteps % logEvery == 0 || completedSteps == totalSteps) {
      out.println(line);
    }
  }

  /** Prints {@code message} on its own line, above the bar when interactive. */
  public void message(String message) {
    if (interactive && drawnLength > 0) {
      out.print("\r" + " ".repeat(drawnLength) + "\r");
      drawnLength = 0;
    }
    out.println(message);
  }

  /** Ends the bar's line, so what follows starts on a new one. */
  public void finish() {
    if (interactive && drawnLength > 0) {
      out.println();
      drawnLength = 0;
    }
    out.flush();
  }

  /**
   * The bar's text, such as {@code step 350/1500 [=====> ] 23% loss 0.4485 acc 0.875 312 img/s ETA
   * 3:41}.
   */
  String line(long completedSteps, double loss, double accuracy, double imagesPerSecond) {
    double fraction = totalSteps == 0 ? 1 : Math.min(1.0, (double) completedSteps / totalSteps);
    int filled = (int) Math.round(fraction * BAR_WIDTH);
    String bar =
        "=".repeat(Math.max(0, filled - 1))
            + (filled > 0 ? (filled == BAR_WIDTH ? "=" : ">") : "")
            + " ".repeat(BAR_WIDTH - filled);
    String width = Integer.toString(Long.toString(totalSteps).length());
    String eta =
        imagesPerSecond > 0
            ? formatDuration((totalSteps - completedSteps) * (double) batchSize / imagesPerSecond)
            : "?";
    return String.format(
        Locale.ROOT,
        "step %" + width + "d/%d [%s] %3d%% loss %.4f acc %.3f %.0f img/s ETA %s",
        completedSteps,
        totalSteps,
        bar,
        Math.round(fraction * 100),
        loss,
        accuracy,
        imagesPerSecond,
        eta);
  }

  /** {@code seconds} as {@code h:mm:ss}, or {@code m:ss} under an hour. */
  public static String formatDuration(double seconds) {
    long total = Math.max(0, Math.round(seconds));
    long hours = total / 3600;
    long minutes = total / 60 % 60;
    long secs = total % 60;
    return hours > 0
        ? String.format(Locale.ROOT, "%d:%02d:%02d", hours, minutes, secs)
        : String.format(Locale.ROOT, "%d:%02d", minutes, secs);
  }

  private void redraw(String line) {
    int padding = Math.max(0, drawnLength - line.length());
    out.print("\r" + line + " ".repeat(padding));
    out.flush();
    drawnLength = line.length();
  }
}
