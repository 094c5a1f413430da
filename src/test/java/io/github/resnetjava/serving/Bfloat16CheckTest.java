package io.github.resnetjava.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The rule that keeps or refuses bfloat16: every probability within 0.06 of float32's, every logit
 * within a tenth of the image's largest float32 logit.
 */
class Bfloat16CheckTest {
  private static final float[] FLOAT32 = {0.1f, 0.7f, 0.2f, 0.5f, 0.25f, 0.25f};

  @Test
  void probabilitiesWithinTheToleranceAndTheSameTopClassPass() {
    float[] bfloat16 = {0.14f, 0.65f, 0.21f, 0.52f, 0.24f, 0.24f};
    assertEquals(Optional.empty(), Bfloat16Check.disagreement(FLOAT32, bfloat16, 3));
  }

  @Test
  void aProbabilityOffByMoreThanTheToleranceIsNamed() {
    float[] bfloat16 = {0.1f, 0.7f, 0.2f, 0.5f, 0.18f, 0.32f};
    String problem = Bfloat16Check.disagreement(FLOAT32, bfloat16, 3).orElseThrow();
    assertTrue(problem.contains("probe image 1 class 1"), problem);
  }

  @Test
  void notANumberIsADisagreement() {
    float[] bfloat16 = {Float.NaN, 0.7f, 0.2f, 0.5f, 0.25f, 0.25f};
    assertTrue(Bfloat16Check.disagreement(FLOAT32, bfloat16, 3).isPresent());
  }

  @Test
  void aChangedTopClassWithAClearFloat32WinnerIsAlwaysALargeDifference() {
    // Float32 leads by 0.15 > 2 * 0.06: swapping the top two moves one of them by more than 0.06.
    float[] float32 = {0.55f, 0.40f, 0.05f};
    assertEquals(
        Optional.empty(),
        Bfloat16Check.disagreement(float32, new float[] {0.51f, 0.44f, 0.05f}, 3));
    String problem =
        Bfloat16Check.disagreement(float32, new float[] {0.47f, 0.48f, 0.05f}, 3).orElseThrow();
    assertTrue(problem.contains("probe image 0 class 0"), problem);
  }

  @Test
  void logitsMayDifferByATenthOfTheImagesLargestLogit() {
    float[] float32 = {-3.17f, 10.68f, 11.73f};
    assertEquals(
        Optional.empty(),
        Bfloat16Check.logitDisagreement(float32, new float[] {-2.5f, 11.5f, 11.0f}, 3));
    // What the rewritten 7-class ResNet-18 gave on an AMD family-26 CPU: 21 for 10.68.
    String problem =
        Bfloat16Check.logitDisagreement(float32, new float[] {-0.09f, 21f, 10.8f}, 3).orElseThrow();
    assertTrue(problem.contains("probe image 0 class 0 has logit -0.09"), problem);
  }

  @Test
  void onlyTheImagesBothRunsScoredAreCompared() {
    float[] firstImageOnly = {0.1f, 0.7f, 0.2f};
    assertEquals(Optional.empty(), Bfloat16Check.disagreement(FLOAT32, firstImageOnly, 3));
  }
}
