package io.github.resnetjava.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.imageio.ImageIO;

/** Synthetic images and their PNG, JPEG and BMP files, made with Java's ImageIO (no TF). */
public final class TestImages {
  private TestImages() {}

  /**
   * A {@code width x height} image of {@code type} (an RGB type or {@code TYPE_BYTE_GRAY}) holding
   * smooth gradients plus seeded noise, so resizing has something to interpolate.
   */
  public static BufferedImage pattern(int width, int height, int type, long seed) {
    BufferedImage image = new BufferedImage(width, height, type);
    Random random = new Random(seed);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int r = clamp(x * 255 / Math.max(1, width - 1) + random.nextInt(41) - 20);
        int g = clamp(y * 255 / Math.max(1, height - 1) + random.nextInt(41) - 20);
        int b = clamp((x + y) * 4 % 256 + random.nextInt(21) - 10);
        if (type == BufferedImage.TYPE_BYTE_GRAY) {
          image.getRaster().setSample(x, y, 0, (r + g + b) / 3);
        } else {
          image.setRGB(x, y, (r << 16) | (g << 8) | b);
        }
      }
    }
    return image;
  }

  /** A {@code width x height} RGB image of one colour. */
  public static BufferedImage solid(int width, int height, int rgb) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, rgb);
      }
    }
    return image;
  }

  /** {@code image} encoded as {@code format} ({@code png}, {@code jpg}, {@code bmp}). */
  public static byte[] encode(BufferedImage image, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException("No ImageIO writer for " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** {@code bytes} decoded by ImageIO. */
  public static BufferedImage decode(byte[] bytes) {
    try {
      return ImageIO.read(new ByteArrayInputStream(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int clamp(int value) {
    return Math.max(0, Math.min(255, value));
  }
}
