package io.github.resnetjava.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One redrawn line on a terminal, periodic plain lines in a log. */
class ProgressBarTest {

  @Test
  void theLineShowsStepLossAccuracyThroughputAndTimeLeft() {
    ProgressBar bar = new ProgressBar(new PrintWriter(new StringWriter()), false, 1000, 50, 1);
    // 750 steps left at 50 images each, 125 images per second: 300 s.
    assertEquals(
        "step  250/1000 [=====>                  ]  25% loss 0.4485 acc 0.875 125 img/s ETA 5:00",
        bar.line(250, 0.44851, 0.875, 125));
    assertEquals("1:01:01", ProgressBar.formatDuration(3661));
    assertEquals("0:59", ProgressBar.formatDuration(59.4));
  }

  @Test
  void withoutATerminalAPlainLineIsPrintedEveryFewSteps() {
    StringWriter text = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(text), false, 10, 8, 4);
    for (int step = 1; step <= 10; step++) {
      bar.update(step, 1.0, 0.5, 100);
      if (step == 5) {
        bar.message("step 5: validation accuracy 0.5");
      }
    }
    bar.finish();
    List<String> lines = text.toString().lines().toList();
    assertEquals(4, lines.size(), text.toString());
    assertTrue(lines.get(0).startsWith("step  4/10"));
    assertEquals("step 5: validation accuracy 0.5", lines.get(1));
    assertTrue(lines.get(2).startsWith("step  8/10"));
    assertTrue(lines.get(3).startsWith("step 10/10"), "the last step is always shown");
    assertFalse(text.toString().contains("\r"));
  }

  @Test
  void onATerminalTheBarIsRedrawnInPlaceAndMessagesGoAboveIt() {
    StringWriter text = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(text), true, 10, 8, 4);
    bar.update(1, 1.0, 0.5, 100);
    bar.update(2, 1.0, 0.5, 100);
    bar.message("checkpoint");
    bar.update(3, 1.0, 0.5, 100);
    bar.finish();
    String output = text.toString();
    int lineLength = bar.line(1, 1.0, 0.5, 100).length();
    assertTrue(
        output.startsWith("\r" + bar.line(1, 1.0, 0.5, 100) + "\r" + bar.line(2, 1.0, 0.5, 100)),
        output);
    assertTrue(
        output.contains("\r" + " ".repeat(lineLength) + "\rcheckpoint" + System.lineSeparator()),
        "the bar is erased before a message: " + output);
    assertTrue(output.endsWith(bar.line(3, 1.0, 0.5, 100) + System.lineSeparator()), output);
  }
}
