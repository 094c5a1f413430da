package io.github.resnetjava.serving;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HexFormat;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * The format and size of an encoded image, read from its header without decoding pixels: for JPEG,
 * PNG and BMP by ImageIO's reader ({@code ImageReader.getWidth(0)} reads the header only), for GIF
 * from its first image descriptor ({@link GifFirstFrame}), the frame TF's {@code
 * decode_image(expand_animations=False)} returns.
 *
 * @param format the file format, as TF's {@code DecodeImage} tells it
 * @param width the image's (or GIF's first frame's) width in pixels
 * @param height its height in pixels
 */
public record ImageHeader(ImageFormat format, int width, int height) {
  private static final int SHOWN_BYTES = 8;

  /**
   * Reads the header of {@code file}.
   *
   * @throws InvalidInputException if it is not a JPEG, PNG, GIF or BMP file or its header cannot be
   *     read
   */
  public static ImageHeader read(byte[] file) {
    if (file == null || file.length == 0) {
      throw new InvalidInputException("The image file is null or empty");
    }
    ImageFormat format =
        ImageFormat.of(file)
            .orElseThrow(
                () ->
                    new InvalidInputException(
                        "The image file is not a JPEG, PNG, GIF or BMP file: it starts with bytes "
                            + HexFormat.ofDelimiter(" ")
                                .formatHex(file, 0, Math.min(SHOWN_BYTES, file.length))));
    if (format == ImageFormat.GIF) {
      try {
        GifFirstFrame frame = GifFirstFrame.of(file);
        return new ImageHeader(format, frame.width(), frame.height());
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException("The GIF file cannot be read: " + e.getMessage(), e);
      }
    }
    return readWithImageIo(file, format);
  }

  private static ImageHeader readWithImageIo(byte[] file, ImageFormat format) {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName());
    if (!readers.hasNext()) {
      throw new IllegalStateException("This JVM's ImageIO has no " + format + " reader");
    }
    ImageReader reader = readers.next();
    // A memory cache, not ImageIO's default temporary file, for bytes already in memory.
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(file))) {
      reader.setInput(in, true, true);
      return new ImageHeader(format, reader.getWidth(0), reader.getHeight(0));
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(
          "The " + format + " file's header cannot be read: " + e.getMessage(), e);
    } finally {
      reader.dispose();
    }
  }
}
