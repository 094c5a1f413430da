package io.github.resnetjava.model;

import io.github.resnetjava.layers.Layout;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Python {@code data_format} argument: where the channel axis of every image tensor lies. */
public enum DataFormat {
  /** {@code 'channels_last'}: tensors are {@code [batch, height, width, channels]} (NHWC). */
  CHANNELS_LAST("channels_last", Layout.NHWC),
  /**
   * {@code 'channels_first'}: tensors are {@code [batch, channels, height, width]} (NCHW). Kernels
   * stay {@code [kh, kw, in, out]}. TF's CPU kernels reject NCHW convolution and pooling, so those
   * ops run between two transposes (see {@code NhwcBridge}); everything else stays NCHW.
   */
  CHANNELS_FIRST("channels_first", Layout.NCHW);

  private final String pythonName;
  private final Layout layout;

  DataFormat(String pythonName, Layout layout) {
    this.pythonName = pythonName;
    this.layout = layout;
  }

  /** The Python spelling: {@code channels_last} or {@code channels_first}. */
  public String pythonName() {
    return pythonName;
  }

  /** The tensor layout TF ops are given. */
  public Layout layout() {
    return layout;
  }

  /**
   * Parses {@code channels_last}, {@code channels_first}, {@code NHWC}, {@code NCHW} or the enum
   * constant name, ignoring case.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static DataFormat parse(String text) {
    String key = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    for (DataFormat format : values()) {
      if (key.equals(format.pythonName)
          || key.equals(format.layout.tfName().toLowerCase(Locale.ROOT))) {
        return format;
      }
    }
    throw new IllegalArgumentException(
        "Unknown data format '"
            + text
            + "'; use one of "
            + Arrays.stream(values())
                .map(f -> f.pythonName + " (" + f.layout.tfName() + ")")
                .collect(Collectors.joining(", ")));
  }
}
