package io.github.resnetjava.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code resnet generate-images} writes decodable PNG and JPEG pictures of both orientations. */
class GenerateImagesCommandTest {
  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};
  private static final byte[] JPEG_MAGIC = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};

  @Test
  void writesPortraitAndLandscapePngAndJpegFiles(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("new");
    CliRun run = CliRun.of("generate-images", "--output-dir", out.toString());

    assertEquals(0, run.exitCode(), run.err());
    List<Path> files = run.out().lines().map(Path::of).toList();
    assertEquals(
        List.of(
            out.resolve("landscape-640x480.png"),
            out.resolve("portrait-300x450.jpg"),
            out.resolve("wide-800x400.jpg"),
            out.resolve("tall-240x360.png")),
        files);
    int portrait = 0;
    int png = 0;
    for (Path file : files) {
      byte[] bytes = Files.readAllBytes(file);
      boolean isPng = file.toString().endsWith(".png");
      byte[] magic = isPng ? PNG_MAGIC : JPEG_MAGIC;
      assertArrayEquals(magic, Arrays.copyOf(bytes, magic.length), file.toString());
      BufferedImage image = ImageIO.read(file.toFile());
      String size = image.getWidth() + "x" + image.getHeight();
      assertTrue(file.getFileName().toString().contains(size), file + " is " + size);
      portrait += image.getHeight() > image.getWidth() ? 1 : 0;
      png += isPng ? 1 : 0;
    }
    assertEquals(2, portrait);
    assertEquals(2, png);
  }

  @Test
  void theSameSeedDrawsTheSamePictures(@TempDir Path dir) throws IOException {
    CliRun.of("generate-images", "--output-dir", dir.resolve("a").toString(), "--seed", "9");
    CliRun.of("generate-images", "--output-dir", dir.resolve("b").toString(), "--seed", "9");
    Path png = Path.of("landscape-640x480.png");
    assertArrayEquals(
        Files.readAllBytes(dir.resolve("a").resolve(png)),
        Files.readAllBytes(dir.resolve("b").resolve(png)));
  }
}
