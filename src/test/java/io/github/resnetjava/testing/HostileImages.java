package io.github.resnetjava.testing;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Image files a server meets from untrusted clients: decompression bombs, animated GIFs, and the
 * PNG sample layouts ImageIO and TensorFlow decode differently (16 bits, gray with alpha).
 */
public final class HostileImages {
  private HostileImages() {}

  /**
   * A valid, complete black PNG of {@code width x height} pixels, 1-bit grayscale, made by hand
   * (PNG specification: signature, IHDR, one zlib IDAT of filter-0 rows, IEND): 20000 x 20000
   * pixels take about 50 KB, and decode to 1.2 GB of RGB.
   */
  public static byte[] pngBomb(int width, int height) {
    ByteBuffer header = ByteBuffer.allocate(13);
    header.putInt(width).putInt(height);
    header.put((byte) 1).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
    byte[] row = new byte[1 + (width + 7) / 8];
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    byte[] chunk = new byte[1 << 16];
    for (int y = 0; y < height; y++) {
      deflater.setInput(row);
      while (!deflater.needsInput()) {
        compressed.write(chunk, 0, deflater.deflate(chunk));
      }
    }
    deflater.finish();
    while (!deflater.finished()) {
      compressed.write(chunk, 0, deflater.deflate(chunk));
    }
    deflater.end();
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    writeChunk(png, "IHDR", header.array());
    writeChunk(png, "IDAT", compressed.toByteArray());
    writeChunk(png, "IEND", new byte[0]);
    return png.toByteArray();
  }

  private static void writeChunk(ByteArrayOutputStream png, String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    png.writeBytes(typeBytes);
    png.writeBytes(data);
    png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  /** An animated GIF of {@code frames}, written by ImageIO's GIF writer. */
  public static byte[] gif(BufferedImage... frames) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.prepareWriteSequence(null);
      for (BufferedImage frame : frames) {
        writer.writeToSequence(new IIOImage(frame, null, null), null);
      }
      writer.endWriteSequence();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /**
   * A {@code width x height} image of {@code bands} samples per pixel (1 gray, 2 gray + alpha, 3
   * RGB, 4 RGBA) with {@code bits} (8 or 16) per sample and seeded random values, as ImageIO reads
   * such PNGs: a component colour model over a gray or sRGB colour space, alpha not premultiplied.
   */
  public static BufferedImage samples(int width, int height, int bands, int bits, long seed) {
    boolean gray = bands <= 2;
    boolean alpha = bands == 2 || bands == 4;
    ComponentColorModel model =
        new ComponentColorModel(
            ColorSpace.getInstance(gray ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB),
            alpha,
            false,
            alpha ? ComponentColorModel.TRANSLUCENT : ComponentColorModel.OPAQUE,
            bits == 16 ? DataBuffer.TYPE_USHORT : DataBuffer.TYPE_BYTE);
    WritableRaster raster = model.createCompatibleWritableRaster(width, height);
    Random random = new Random(seed);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        for (int b = 0; b < bands; b++) {
          raster.setSample(x, y, b, random.nextInt(1 << bits));
        }
      }
    }
    return new BufferedImage(model, raster, false, null);
  }
}
