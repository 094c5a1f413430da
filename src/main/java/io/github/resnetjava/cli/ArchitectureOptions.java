package io.github.resnetjava.cli;

import io.github.resnetjava.model.DataFormat;
import picocli.CommandLine.Option;

/** The options that pick a ResNet architecture, shared by {@code export} and {@code summary}. */
final class ArchitectureOptions {
  @Option(
      names = "--depth",
      paramLabel = "DEPTH",
      defaultValue = "50",
      converter = OptionConverters.Depth.class,
      description = "Number of layers: 18, 34, 50, 101, 152 or 200 (default: ${DEFAULT-VALUE}).")
  int depth;

  @Option(
      names = "--classes",
      paramLabel = "N",
      defaultValue = "1000",
      converter = OptionConverters.PositiveInt.class,
      description = "Number of output classes (default: ${DEFAULT-VALUE}).")
  int classes;

  @Option(
      names = "--resize-dim",
      paramLabel = "PIXELS",
      defaultValue = "224",
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

  /** {@code ResNet-50 v2 (1000 classes, channels_last)}. */
  String describe() {
    return "ResNet-" + depth + " v2 (" + classes + " classes, " + dataFormat.pythonName() + ")";
  }
}
