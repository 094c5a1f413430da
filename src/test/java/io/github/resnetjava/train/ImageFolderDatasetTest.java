package io.github.resnetjava.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resnetjava.preprocessing.ImagePreprocessing;
import io.github.resnetjava.testing.TestImages;
import java.awt.image.BufferedImage;
import java.io.IOException;
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
        writeImage(
            root.resolve(split + "/" + label + "/1.png"), TestImages.solid(SIDE, SIDE, 1), "png");
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
  void aClassFolderWithoutImagesIsRejected() throws IOException {
    writeImage(root.resolve("a/good.png"), TestImages.solid(SIDE, SIDE, 1), "png");
    Files.createDirectories(root.resolve("empty"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ImageFolderDataset.open(root, SIZES));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
  }

  @Test
  void symlinkedClassFoldersAndSubFoldersAreFollowedAndALinkLoopIsSkipped() throws IOException {
    Path elsewhere = root.resolve("elsewhere");
    Path data = root.resolve("data");
    writeImage(data.resolve("apple/a.png"), TestImages.solid(SIDE, SIDE, 1), "png");
    writeImage(elsewhere.resolve("pears/p.png"), TestImages.solid(SIDE, SIDE, 2), "png");
    writeImage(elsewhere.resolve("more-apples/m.png"), TestImages.solid(SIDE, SIDE, 3), "png");
    Files.createSymbolicLink(data.resolve("pear"), elsewhere.resolve("pears"));
    Files.createSymbolicLink(data.resolve("apple/more"), elsewhere.resolve("more-apples"));
    Files.createSymbolicLink(data.resolve("apple/loop"), data.resolve("apple"));
    try (ImageFolderDataset dataset = ImageFolderDataset.open(data, SIZES)) {
      assertEquals(List.of("apple", "pear"), dataset.classNames());
      assertEquals(
          List.of(
              data.resolve("apple/a.png"),
              data.resolve("apple/more/m.png"),
              data.resolve("pear/p.png")),
          List.of(dataset.file(0), dataset.file(1), dataset.file(2)));
      assertEquals(3, dataset.size(), "the loop adds nothing");
      assertEquals(List.of(0, 0, 1), List.of(dataset.label(0), dataset.label(1), dataset.label(2)));
    }
  }

  @Test
  void filesInHiddenFoldersAreSkipped() throws IOException {
    writeImage(root.resolve("a/x.png"), TestImages.solid(SIDE, SIDE, 1), "png");
    writeImage(root.resolve("a/.thumbnails/x.png"), TestImages.solid(SIDE, SIDE, 1), "png");
    writeImage(root.resolve("b/y.png"), TestImages.solid(SIDE, SIDE, 2), "png");
    writeImage(root.resolve("b/.git/objects/z.png"), TestImages.solid(SIDE, SIDE, 2), "png");
    try (ImageFolderDataset dataset = ImageFolderDataset.open(root, SIZES)) {
      assertEquals(
          List.of(root.resolve("a/x.png"), root.resolve("b/y.png")),
          List.of(dataset.file(0), dataset.file(1)));
      assertEquals(2, dataset.size());
    }
  }

  @Test
  void undecodableFilesAreSkippedAndCountedWhenTheFolderOpens() throws IOException {
    writeImage(root.resolve("a/good.png"), TestImages.solid(SIDE, SIDE, 1), "png");
    Files.writeString(root.resolve("a/broken.png"), "this is not a PNG");
    byte[] jpeg = TestImages.encode(TestImages.pattern(16, 16, 1, 1), "jpg");
    Files.write(root.resolve("a/truncated.jpg"), java.util.Arrays.copyOf(jpeg, 20));
    writeImage(root.resolve("b/good.png"), TestImages.solid(SIDE, SIDE, 2), "png");
    try (ImageFolderDataset dataset = ImageFolderDataset.open(root, SIZES)) {
      assertEquals(
          List.of(root.resolve("a/broken.png"), root.resolve("a/truncated.jpg")),
          dataset.skippedFiles());
      assertEquals(2, dataset.size());
      assertEquals(
          List.of(root.resolve("a/good.png"), root.resolve("b/good.png")),
          List.of(dataset.file(0), dataset.file(1)));
      dataset.readImages(new int[] {0, 1}, new float[2 * SIDE * SIDE * 3]);
      assertTrue(dataset.toString().contains("2 undecodable files skipped"), dataset.toString());
    }
  }

  @Test
  void aClassFolderWhoseFilesAllFailToDecodeIsRejectedNamingThem() throws IOException {
    writeImage(root.resolve("a/good.png"), TestImages.solid(SIDE, SIDE, 1), "png");
    Files.createDirectories(root.resolve("b"));
    Files.writeString(root.resolve("b/broken.png"), "this is not a PNG");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ImageFolderDataset.open(root, SIZES));
    assertTrue(e.getMessage().contains("broken.png"), e.getMessage());
  }

  @Test
  void aSplitWhoseClassesDifferClosesBothSets() throws IOException {
    for (String folder : List.of("train/a", "train/b", "validation/a", "validation/c")) {
      writeImage(root.resolve(folder + "/1.png"), TestImages.solid(SIDE, SIDE, 1), "png");
    }
    int openBefore = ImageDecoder.openCount();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ImageFolderDataset.split(root, SIZES, 0.5, 1));
    assertTrue(e.getMessage().contains("same classes"), e.getMessage());
    assertEquals(openBefore, ImageDecoder.openCount(), "a decoder's graph and session leaked");
  }
}
