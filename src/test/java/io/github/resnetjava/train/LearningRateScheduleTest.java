package io.github.resnetjava.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resnetjava.train.LearningRateSchedule.Decay;
import org.junit.jupiter.api.Test;

/** The schedule against the official ResNet's formulas, evaluated by hand at chosen steps. */
class LearningRateScheduleTest {
  private static final double TOLERANCE = 1e-12;

  @Test
  void warmUpRisesLinearlyFromZeroAsTheOfficialResNetDoes() {
    LearningRateSchedule schedule = LearningRateSchedule.of(Decay.PIECEWISE, 0.4, 10, 90);
    assertEquals(0.0, schedule.learningRate(0), TOLERANCE);
    assertEquals(0.04, schedule.learningRate(1), TOLERANCE);
    assertEquals(0.2, schedule.learningRate(5), TOLERANCE);
    assertEquals(0.36, schedule.learningRate(9), TOLERANCE);
    assertEquals(0.4, schedule.learningRate(10), TOLERANCE);
  }

  @Test
  void piecewiseDropsTenfoldAfterAThirdTwoThirdsAndEightNinthsOfTheRun() {
    // 90 steps: the official boundaries are epochs 30, 60 and 80 of 90.
    LearningRateSchedule schedule = LearningRateSchedule.of(Decay.PIECEWISE, 1.0, 0, 90);
    assertEquals(1.0, schedule.learningRate(0), TOLERANCE);
    assertEquals(1.0, schedule.learningRate(30), TOLERANCE, "a boundary step keeps the old rate");
    assertEquals(0.1, schedule.learningRate(31), TOLERANCE);
    assertEquals(0.1, schedule.learningRate(60), TOLERANCE);
    assertEquals(0.01, schedule.learningRate(61), TOLERANCE);
    assertEquals(0.01, schedule.learningRate(80), TOLERANCE);
    assertEquals(0.001, schedule.learningRate(81), TOLERANCE);
    assertEquals(0.001, schedule.learningRate(500), TOLERANCE);
  }

  @Test
  void cosineFallsFromThePeakToZeroOverTheStepsAfterWarmUp() {
    // Warm-up 10, decay over the 100 steps from 10 to 110.
    LearningRateSchedule schedule = LearningRateSchedule.of(Decay.COSINE, 0.2, 10, 110);
    assertEquals(0.2, schedule.learningRate(10), TOLERANCE);
    assertEquals(0.1, schedule.learningRate(60), TOLERANCE, "half-way: cos(pi/2) = 0");
    assertEquals(
        0.1 * (1 + Math.sqrt(0.5)),
        schedule.learningRate(35),
        TOLERANCE,
        "a quarter of the way: cos(pi/4)");
    assertEquals(0.0, schedule.learningRate(110), TOLERANCE);
    assertEquals(0.0, schedule.learningRate(200), TOLERANCE, "stays at zero past the end");
  }

  @Test
  void theRateIsAPureFunctionOfTheStep() {
    LearningRateSchedule first = LearningRateSchedule.of(Decay.COSINE, 0.1, 5, 50);
    LearningRateSchedule second = LearningRateSchedule.of(Decay.COSINE, 0.1, 5, 50);
    for (long step = 49; step >= 0; step--) {
      assertEquals(first.learningRate(step), second.learningRate(step), 0.0);
      assertEquals(first.learningRate(step), first.learningRate(step), 0.0);
    }
  }

  @Test
  void invalidArgumentsAreRejectedWithTheAllowedRange() {
    IllegalArgumentException warmup =
        assertThrows(
            IllegalArgumentException.class,
            () -> LearningRateSchedule.of(Decay.COSINE, 0.1, 100, 100));
    assertTrue(warmup.getMessage().contains("warmupSteps"), warmup.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> LearningRateSchedule.of(Decay.COSINE, 0, 0, 100));
    assertThrows(
        IllegalArgumentException.class,
        () -> LearningRateSchedule.of(Decay.COSINE, 0.1, 0, 100).learningRate(-1));
    IllegalArgumentException decay =
        assertThrows(IllegalArgumentException.class, () -> Decay.parse("linear"));
    assertTrue(decay.getMessage().contains("cosine, piecewise"), decay.getMessage());
    assertEquals(Decay.PIECEWISE, Decay.parse("Piecewise"));
  }
}
