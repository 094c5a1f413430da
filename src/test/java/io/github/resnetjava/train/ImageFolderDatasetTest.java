package io.github.resnetjava.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resnetjava.export.ImagePreprocessing;
import io.github.resnetjava.testing.TestImages;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Class folders become labelled, export-preprocessed images; hold-outs are stratified. */
class ImageFolderDatasetTest {
  private static final int SIDE = 8;
  private static final ImagePreprocessing SIZES = new ImagePreprocessing(SIDE, SIDE);

  @TempDir Path root;

  private void writeImage(Path file, BufferedImage image, String format) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, TestImages.encode(image, format));
  }

  @Test
  void classesAreTheSortedSubFoldersAndEveryImageBelowThemCounts() throws IOException {
    writeImage(root.resolve("zebra/a.png"), TestImages.solid(SIDE, SIDE, 0x102030), "png");
    writeImage(root.resolve("apple/nested/b.PNG"), TestImages.solid(SIDE, SIDE, 0x405060), "png");
    writeImage(root.resolve("apple/c.jpg"), TestImages.pattern(12, 10, 1, 1), "jpg");
    Files.writeString(root.resolve("apple/notes.txt"), "not an image");
    writeImage(root.resolve("apple/.hidden.png"), TestImages.solid(SIDE, SIDE, 0), "png");
    try (ImageFolderDataset dataset = ImageFolderDataset.open(root, SIZES)) {
      assertEquals(List.of("apple", "zebra"), dataset.classNames());
      assertEquals(3, dataset.size());
      assertEquals(root.resolve("apple/c.jpg"), dataset.file(0));
      assertEquals(root.resolve("apple/nested/b.PNG"), dataset.file(1));
      assertEquals(root.resolve("zebra/a.png"), dataset.file(2));
      assertEquals(0, dataset.label(0));
      assertEquals(0, dataset.label(1));
      assertEquals(1, dataset.label(2));
    }
  }

  @Test
  void anImageOfTheModelsSizeComesOutAsRgbMinusTheChannelMeans() throws IOException {
    BufferedImage image = TestImages.pattern(SIDE, SIDE, BufferedImage.TYPE_INT_RGB, 4);
    writeImage(root.resolve("a/x.png"), image, "png");
    writeImage(root.resolve("b/y.png"), TestImages.solid(SIDE, SIDE, 0xff0000), "png");
    float[] means = {123.68f, 116.78f, 103.94f};
    try (ImageFolderDataset dataset = ImageFolderDataset.open(root, SIZES)) {
      float[] images = new float[2 * SIDE * SIDE * 3];
      dataset.readImages(new int[] {1, 0}, images);
      for (int y = 0; y < SIDE; y++) {
        for (int x = 0; x < SIDE; x++) {
          int rgb = image.getRGB(x, y);
          int second = ((SIDE * SIDE) + y * SIDE + x) * 3;
          assertEquals(((rgb >> 16) & 0xff) - means[0], images[second], 1e-4f);
          assertEquals(((rgb >> 8) & 0xff) - means[1], images[second + 1], 1e-4f);
          assertEquals((rgb & 0xff) - means[2], images[second + 2], 1e-4f);
          int first = (y * SIDE + x) * 3;
          assertEquals(255 - means[0], images[first], 1e-4f);
          assertEquals(-means[1], images[first + 1], 1e-4f);
        }
      }
    }
  }

  @Test
  void theHoldOutTakesTheSameShareOfEveryClassReproducibly() throws IOException {
    for (String label : List.of("cat", "dog")) {
      for (int i = 0; i < 10; i++) {
        writeImage(root.resolve(label + "/" + i + ".png"), TestImages.solid(SIDE, SIDE, i), "png");
      }
    }
    List<Path> validationFiles = new ArrayList<>();
    try (DatasetSplit split = ImageFolderDataset.split(root, SIZES, 0.2, 1);
        DatasetSplit again = ImageFolderDataset.split(root, SIZES, 0.2, 1)) {
      ImageFolderDataset train = (ImageFolderDataset) split.train();
      ImageFolderDataset validation = (ImageFolderDataset) split.validation();
      assertEquals(16, train.size());
      assertEquals(4, validation.size());
      int[] perClass = new int[2];
      Set<Path> all = new HashSet<>();
      for (int i = 0; i < validation.size(); i++) {
        perClass[validation.label(i)]++;
        validationFiles.add(validation.file(i));
        assertEquals(validation.file(i), ((ImageFolderDataset) again.validation()).file(i));
        all.add(validation.file(i));
      }
      for (int i = 0; i < train.size(); i++) {
        all.add(train.file(i));
      }
      assertEquals(2, perClass[0]);
      assertEquals(2, perClass[1]);
      assertEquals(20, all.size(), "train and validation are disjoint and cover the folder");
    }
  }

  @Test
  void trainAndValidationSubFoldersAreTakenAsTheSplit() throws IOException {
    for (String split : List.of("train", "validation")) {
      for (String label : List.of("a", "b")) {
        writeImage(root.resolve(split + "/" + label + "/1.png"), TestImages.solid(SIDE, SIDE, 1),
            "png");
      }
    }
    writeImage(root.resolve("train/b/2.png"), TestImages.solid(SIDE, SIDE, 1), "png");
    try (DatasetSplit split = ImageFolderDataset.split(root, SIZES, 0.5, 1)) {
      assertEquals(3, split.train().size());
      assertEquals(2, split.validation().size());
      assertEquals(List.of("a", "b"), split.validation().classNames());
    }
  }

  @Test
  void anUndecodableFileIsNamedInTheError() throws IOException {
    writeImage(root.resolve("a/good.png"), TestImages.solid(SIDE, SIDE, 1), "png");
    Files.createDirectories(root.resolve("b"));
    Files.writeString(root.resolve("b/broken.png"), "this is not a PNG");
    try (ImageFolderDataset dataset = ImageFolderDataset.open(root, SIZES)) {
      UncheckedIOException e =
          assertThrows(UncheckedIOException.class,
              () -> dataset.readImages(new int[] {0, 1}, new float[2 * SIDE * SIDE * 3]));
      assertTrue(e.getMessage().contains("broken.png"), e.getMessage());
    }
  }

  @Test
  void aClassFolderWithoutImagesIsRejected() throws IOException {
    writeImage(root.resolve("a/good.png"), TestImages.solid(SIDE, SIDE, 1), "png");
    Files.createDirectories(root.resolve("empty"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ImageFolderDataset.open(root, SIZES));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
  }
}
