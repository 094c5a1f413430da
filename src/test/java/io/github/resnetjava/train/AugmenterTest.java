package io.github.resnetjava.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The CIFAR-10 augmentation: every output is the image shifted by at most the padding on each axis,
 * filled with black outside it, and mirrored or not.
 */
class AugmenterTest {
  private static final int SIDE = 8;
  private static final int PADDING = 2;
  private static final float[] BLACK = {-123.68f, -116.78f, -103.94f};

  @Test
  void outputsArePaddedRandomCropsOptionallyMirroredCoveringEveryOffset() {
    Augmenter augmenter = new Augmenter(SIDE, PADDING);
    SplittableRandom random = new SplittableRandom(3);
    Set<String> seen = new HashSet<>();
    for (int trial = 0; trial < 400; trial++) {
      float[] images = new float[2 * SIDE * SIDE * 3];
      fillWithCoordinates(images, 1);
      augmenter.augment(images, 1, random);
      seen.add(transformOf(images, 1));
    }
    // 5 vertical x 5 horizontal offsets x mirrored or not.
    assertEquals(5 * 5 * 2, seen.size(), "every crop offset and both flips occur: " + seen);
  }

  @Test
  void otherImagesOfTheBatchAreUntouched() {
    float[] images = new float[2 * SIDE * SIDE * 3];
    fillWithCoordinates(images, 0);
    float[] before = images.clone();
    new Augmenter(SIDE, PADDING).augment(images, 1, new SplittableRandom(1));
    for (int i = 0; i < SIDE * SIDE * 3; i++) {
      assertEquals(before[i], images[i]);
    }
  }

  /** Pixel (y, x) of image {@code index} holds {@code (y, x, 7)}: where it came from. */
  private static void fillWithCoordinates(float[] images, int index) {
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        int at = ((index * SIDE + y) * SIDE + x) * 3;
        images[at] = y;
        images[at + 1] = x;
        images[at + 2] = 7;
      }
    }
  }

  /**
   * The one shift and mirror that explains every output pixel ({@code "dy,dx,flip"}); fails if the
   * pixels do not agree on one.
   */
  private static String transformOf(float[] images, int index) {
    String found = null;
    for (int dy = -PADDING; dy <= PADDING; dy++) {
      for (int dx = -PADDING; dx <= PADDING; dx++) {
        for (boolean flip : new boolean[] {false, true}) {
          if (explains(images, index, dy, dx, flip)) {
            assertTrue(found == null, "ambiguous transform");
            found = dy + "," + dx + "," + flip;
          }
        }
      }
    }
    assertTrue(found != null, "output is not a padded, cropped, maybe mirrored copy");
    return found;
  }

  private static boolean explains(float[] images, int index, int dy, int dx, boolean flip) {
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        int at = ((index * SIDE + y) * SIDE + x) * 3;
        int sourceY = y + dy;
        int sourceX = (flip ? SIDE - 1 - x : x) + dx;
        boolean inside = sourceY >= 0 && sourceY < SIDE && sourceX >= 0 && sourceX < SIDE;
        float[] expected = inside ? new float[] {sourceY, sourceX, 7} : BLACK;
        for (int c = 0; c < 3; c++) {
          if (images[at + c] != expected[c]) {
            return false;
          }
        }
      }
    }
    return true;
  }
}
