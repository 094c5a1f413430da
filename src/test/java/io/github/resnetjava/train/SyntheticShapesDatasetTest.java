package io.github.resnetjava.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resnetjava.train.SyntheticShapesDataset.Split;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The built-in dataset: reproducible, balanced, split, and in the export's input scaling. */
class SyntheticShapesDatasetTest {
  private static final int SIDE = 32;

  @Test
  void theSameSeedDrawsTheSamePixelsAndTheSplitsDiffer() {
    SyntheticShapesDataset train = new SyntheticShapesDataset(10, SIDE, 50, Split.TRAIN, 5);
    SyntheticShapesDataset again = new SyntheticShapesDataset(10, SIDE, 50, Split.TRAIN, 5);
    SyntheticShapesDataset validation =
        new SyntheticShapesDataset(10, SIDE, 50, Split.VALIDATION, 5);
    SyntheticShapesDataset otherSeed = new SyntheticShapesDataset(10, SIDE, 50, Split.TRAIN, 6);
    for (int i = 0; i < 50; i += 7) {
      assertArrayEquals(pixels(train.image(i)), pixels(again.image(i)), "image " + i);
      assertFalse(Arrays.equals(pixels(train.image(i)), pixels(validation.image(i))));
      assertFalse(Arrays.equals(pixels(train.image(i)), pixels(otherSeed.image(i))));
    }
  }

  @Test
  void classesAreBalancedAndNamedByShapeThenColour() {
    SyntheticShapesDataset shapes = new SyntheticShapesDataset(8, SIDE, 80, Split.TRAIN, 1);
    assertEquals(
        List.of("circle", "square", "triangle", "diamond", "plus", "cross", "star", "ring"),
        shapes.classNames());
    int[] counts = new int[8];
    for (int i = 0; i < shapes.size(); i++) {
      counts[shapes.label(i)]++;
    }
    assertArrayEquals(new int[] {10, 10, 10, 10, 10, 10, 10, 10}, counts);

    SyntheticShapesDataset coloured = new SyntheticShapesDataset(10, SIDE, 10, Split.TRAIN, 1);
    assertEquals("red_circle", coloured.classNames().get(0));
    assertEquals("red_ring", coloured.classNames().get(7));
    assertEquals("green_circle", coloured.classNames().get(8));
    assertEquals(SyntheticShapesDataset.MAX_CLASSES, 48);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new SyntheticShapesDataset(49, SIDE, 10, Split.TRAIN, 1));
    assertTrue(e.getMessage().contains("2 to 48"), e.getMessage());
  }

  @Test
  void imagesAreRgbMinusTheOfficialResNetChannelMeans() {
    SyntheticShapesDataset dataset = new SyntheticShapesDataset(8, SIDE, 4, Split.TRAIN, 2);
    float[] images = new float[2 * SIDE * SIDE * 3];
    dataset.readImages(new int[] {3, 1}, images);
    float[] means = {123.68f, 116.78f, 103.94f};
    int[][] expectedImages = {pixels(dataset.image(3)), pixels(dataset.image(1))};
    for (int n = 0; n < 2; n++) {
      int[] argb = expectedImages[n];
      for (int p = 0; p < SIDE * SIDE; p++) {
        int base = (n * SIDE * SIDE + p) * 3;
        assertEquals(((argb[p] >> 16) & 0xff) - means[0], images[base], 0f);
        assertEquals(((argb[p] >> 8) & 0xff) - means[1], images[base + 1], 0f);
        assertEquals((argb[p] & 0xff) - means[2], images[base + 2], 0f);
      }
    }
  }

  private static int[] pixels(BufferedImage image) {
    return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
  }
}
