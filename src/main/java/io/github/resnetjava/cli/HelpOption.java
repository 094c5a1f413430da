package io.github.resnetjava.cli;

import picocli.CommandLine.Option;

/**
 * {@code -h}/{@code --help} for subcommands. They do not take picocli's standard help mixin, whose
 * {@code --version} would clash with {@code export --version} (the model version).
 */
final class HelpOption {
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;
}
