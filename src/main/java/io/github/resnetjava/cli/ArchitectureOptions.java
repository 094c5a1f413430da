package io.github.resnetjava.cli;

import io.github.resnetjava.model.DataFormat;
import picocli.CommandLine.Option;

/**
 * The options that pick a ResNet's shape, shared by {@code export}, {@code summary} and {@code
 * train}. Each command supplies its own defaults for depth and image side: a mixin field's initial
 * value is picocli's default, shown as {@code ${DEFAULT-VALUE}}.
 */
class ArchitectureOptions {
  @Option(
      names = "--depth",
      paramLabel = "DEPTH",
      converter = OptionConverters.Depth.class,
      description = "Number of layers: 18, 34, 50, 101, 152 or 200 (default: ${DEFAULT-VALUE}).")
  int depth;

  @Option(
      names = "--resize-dim",
      paramLabel = "PIXELS",
      converter = OptionConverters.PositiveInt.class,
      description = "Side of the square crop the model reads (default: ${DEFAULT-VALUE}).")
  int resizeDim;

  @Option(
      names = "--data-format",
      paramLabel = "FORMAT",
      defaultValue = "channels_last",
      converter = OptionConverters.Format.class,
      description = "channels_last (NHWC) or channels_first (NCHW) (default: ${DEFAULT-VALUE}).")
  DataFormat dataFormat;

  /** The options with {@code depth} and {@code resizeDim} as the command's defaults. */
  ArchitectureOptions(int depth, int resizeDim) {
    this.depth = depth;
    this.resizeDim = resizeDim;
  }
}
