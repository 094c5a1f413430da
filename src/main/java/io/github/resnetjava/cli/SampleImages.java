package io.github.resnetjava.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Synthetic test pictures, drawn with Java2D (headless is fine): a gradient sky and a few random
 * filled shapes, in PNG and JPEG, portrait and landscape, so a demo exercises decoding, the
 * aspect-preserving resize and the central crop without shipping image files.
 */
final class SampleImages {
  /**
   * One picture to write.
   *
   * @param fileName name of the file, its extension matching {@code format}
   * @param width width in pixels
   * @param height height in pixels
   * @param format ImageIO format name: {@code png} or {@code jpeg}
   */
  record Spec(String fileName, int width, int height, String format) {}

  /** The default set: two landscape and two portrait pictures, two PNG and two JPEG. */
  static final List<Spec> DEFAULT_SET =
      List.of(
          new Spec("landscape-640x480.png", 640, 480, "png"),
          new Spec("portrait-300x450.jpg", 300, 450, "jpeg"),
          new Spec("wide-800x400.jpg", 800, 400, "jpeg"),
          new Spec("tall-240x360.png", 240, 360, "png"));

  private static final int SHAPES = 6;

  private SampleImages() {}

  /**
   * Draws and writes {@code specs} into {@code dir}, created if missing.
   *
   * @param seed picks the colours and shapes; the same seed writes the same pictures
   * @return the written files, in {@code specs} order
   */
  static List<Path> write(Path dir, List<Spec> specs, long seed) throws IOException {
    Files.createDirectories(dir);
    Random random = new Random(seed);
    List<Path> files = new ArrayList<>();
    for (Spec spec : specs) {
      Path file = dir.resolve(spec.fileName());
      Files.write(file, encode(draw(spec.width(), spec.height(), random), spec.format()));
      files.add(file);
    }
    return files;
  }

  /** A {@code width x height} RGB picture of a gradient and random shapes. */
  static BufferedImage draw(int width, int height, Random random) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setPaint(new GradientPaint(0, 0, randomColor(random), 0, height, randomColor(random)));
      g.fillRect(0, 0, width, height);
      g.setStroke(new BasicStroke(Math.max(2, Math.min(width, height) / 60f)));
      for (int i = 0; i < SHAPES; i++) {
        g.setColor(randomColor(random));
        int w = width / 8 + random.nextInt(width / 3);
        int h = height / 8 + random.nextInt(height / 3);
        int x = random.nextInt(width - w);
        int y = random.nextInt(height - h);
        switch (i % 3) {
          case 0 -> g.fillOval(x, y, w, h);
          case 1 -> g.fillRect(x, y, w, h);
          default -> g.fillPolygon(new int[] {x, x + w / 2, x + w}, new int[] {y + h, y, y + h}, 3);
        }
        g.setColor(Color.BLACK);
        g.drawLine(x, y, x + w, y + h);
      }
    } finally {
      g.dispose();
    }
    return image;
  }

  /** {@code image} encoded as {@code format} ({@code png}, {@code jpeg}, ...). */
  static byte[] encode(BufferedImage image, String format) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, format, bytes)) {
        throw new IllegalArgumentException("ImageIO has no writer for format '" + format + "'");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot encode an image in memory as " + format, e);
    }
    return bytes.toByteArray();
  }

  private static Color randomColor(Random random) {
    return new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256));
  }
}
