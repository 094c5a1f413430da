package io.github.resnetjava.cli;

import picocli.CommandLine.Option;

/**
 * {@link ArchitectureOptions} with the number of classes, for the commands that build a model with
 * no dataset to count classes in, {@code export} and {@code summary}: a ResNet-50 for ImageNet's
 * 1000 classes at 224 pixels unless told otherwise.
 */
final class ClassifierArchitectureOptions extends ArchitectureOptions {
  @Option(
      names = "--classes",
      paramLabel = "N",
      defaultValue = "1000",
      converter = OptionConverters.PositiveInt.class,
      description = "Number of output classes (default: ${DEFAULT-VALUE}).")
  int classes;

  ClassifierArchitectureOptions() {
    super(50, 224);
  }

  /** {@code ResNet-50 v2 (1000 classes, channels_last)}. */
  String describe() {
    return "ResNet-" + depth + " v2 (" + classes + " classes, " + dataFormat.pythonName() + ")";
  }
}
