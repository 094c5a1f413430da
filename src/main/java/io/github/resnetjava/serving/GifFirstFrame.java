package io.github.resnetjava.serving;

import java.util.Arrays;

/**
 * The first frame of a GIF, found by walking the file's blocks (GIF89a specification: header,
 * logical screen descriptor, optional global colour table, then extension and image blocks made of
 * length-prefixed sub-blocks, then the {@code 0x3B} trailer) without decoding any pixel.
 *
 * <p>TF's GIF decoder slurps every frame of a file into memory even when it returns only the first
 * ({@code expand_animations=False}), and sizes its output by the largest frame; {@link #file()} is
 * the file cut after the first image and closed with a trailer, so TensorFlow decodes that frame
 * alone, at its own size, as ImageIO's {@code read} returns it.
 *
 * @param width the first frame's width (its image descriptor's)
 * @param height the first frame's height
 * @param file a valid one-frame GIF of that frame
 */
record GifFirstFrame(int width, int height, byte[] file) {
  private static final int HEADER_AND_SCREEN_DESCRIPTOR = 13;
  private static final int EXTENSION = 0x21;
  private static final int IMAGE_DESCRIPTOR = 0x2c;
  private static final int IMAGE_DESCRIPTOR_LENGTH = 10;
  private static final byte TRAILER = 0x3b;

  /**
   * Finds the first frame of {@code gif}.
   *
   * @throws IllegalArgumentException naming what is malformed or missing
   */
  static GifFirstFrame of(byte[] gif) {
    int pos = HEADER_AND_SCREEN_DESCRIPTOR;
    require(gif, pos, "its logical screen descriptor");
    pos += colourTableLength(gif[10]);
    while (true) {
      require(gif, pos + 1, "an image before the end of the file");
      int block = gif[pos] & 0xff;
      if (block == EXTENSION) {
        pos = skipSubBlocks(gif, pos + 2);
      } else if (block == IMAGE_DESCRIPTOR) {
        require(gif, pos + IMAGE_DESCRIPTOR_LENGTH, "a complete image descriptor");
        int width = unsigned16(gif, pos + 5);
        int height = unsigned16(gif, pos + 7);
        pos += IMAGE_DESCRIPTOR_LENGTH + colourTableLength(gif[pos + 9]);
        // One byte of LZW minimum code size, then the image data sub-blocks.
        int end = skipSubBlocks(gif, pos + 1);
        byte[] file = Arrays.copyOf(gif, end + 1);
        file[end] = TRAILER;
        return new GifFirstFrame(width, height, file);
      } else {
        throw new IllegalArgumentException(
            "it has "
                + (block == (TRAILER & 0xff)
                    ? "no image"
                    : "an unknown block 0x" + Integer.toHexString(block))
                + " at byte "
                + pos);
      }
    }
  }

  /** The bytes of the colour table a descriptor's packed field announces (0 without one). */
  private static int colourTableLength(byte packed) {
    return (packed & 0x80) == 0 ? 0 : 3 * (1 << ((packed & 0x07) + 1));
  }

  /** The position after the sub-blocks starting at {@code pos} and their zero terminator. */
  private static int skipSubBlocks(byte[] gif, int pos) {
    while (true) {
      require(gif, pos + 1, "the end of a data block");
      int size = gif[pos] & 0xff;
      pos += 1 + size;
      if (size == 0) {
        return pos;
      }
    }
  }

  private static int unsigned16(byte[] gif, int pos) {
    return (gif[pos] & 0xff) | (gif[pos + 1] & 0xff) << 8;
  }

  private static void require(byte[] gif, int length, String what) {
    if (gif.length < length) {
      throw new IllegalArgumentException("it is truncated before " + what);
    }
  }
}
