package io.github.resnetjava.serving;

import io.github.resnetjava.preprocessing.ImageLimits;
import io.github.resnetjava.preprocessing.ImageRejectedException;

/**
 * Admits an encoded image to the {@code image_bytes} graph only after its header passed {@link
 * ImageLimits}: TensorFlow's decoders allocate the whole image before the preprocessing can look at
 * its size, so the check has to come first, in Java.
 */
final class EncodedImageGuard {
  private EncodedImageGuard() {}

  /**
   * The bytes to feed for image {@code index} of a batch: {@code file} itself, or for a GIF its
   * first frame alone ({@link GifFirstFrame}).
   *
   * @throws InvalidInputException for an unknown format, an unreadable header or a size over {@code
   *     limits}
   */
  static byte[] admit(byte[] file, int index, ImageLimits limits) {
    ImageHeader header;
    try {
      header = ImageHeader.read(file);
    } catch (InvalidInputException e) {
      throw new InvalidInputException("Encoded image " + index + ": " + e.getMessage(), e);
    }
    try {
      limits.check(
          "Encoded image " + index + " (" + header.format() + ")", header.width(), header.height());
    } catch (ImageRejectedException e) {
      throw new InvalidInputException(e.getMessage(), e);
    }
    return header.format() == ImageFormat.GIF ? GifFirstFrame.of(file).file() : file;
  }
}
