package io.github.resnetjava.serving;

import java.util.Optional;

/**
 * The file formats TF's {@code DecodeImage} op ({@code tf.io.decode_image}) decodes, told apart by
 * the same leading bytes its kernel checks.
 */
public enum ImageFormat {
  /** {@code FF D8 FF}. */
  JPEG("jpeg", new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff}),
  /** {@code 89 'PNG' 0D 0A 1A 0A}. */
  PNG("png", new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}),
  /** {@code 'GIF8'}. */
  GIF("gif", new byte[] {'G', 'I', 'F', '8'}),
  /** {@code 'BM'}. */
  BMP("bmp", new byte[] {'B', 'M'});

  private final String imageIoName;
  private final byte[] magic;

  ImageFormat(String imageIoName, byte[] magic) {
    this.imageIoName = imageIoName;
    this.magic = magic;
  }

  /** The format name ImageIO's readers are registered under. */
  String imageIoName() {
    return imageIoName;
  }

  /** The format {@code file} starts like, or empty when it is none of them. */
  public static Optional<ImageFormat> of(byte[] file) {
    for (ImageFormat format : values()) {
      if (format.matches(file)) {
        return Optional.of(format);
      }
    }
    return Optional.empty();
  }

  private boolean matches(byte[] file) {
    if (file.length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if (file[i] != magic[i]) {
        return false;
      }
    }
    return true;
  }
}
