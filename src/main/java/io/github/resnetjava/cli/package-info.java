/**
 * The {@code resnet} command line, built with picocli: {@link io.github.resnetjava.cli.ResNetCli}
 * and one class per subcommand ({@code ExportCommand}, {@code PredictCommand}, {@code
 * SummaryCommand}, {@code TrainCommand}, ...). Commands are thin: they parse and validate options
 * (shared option groups and {@code OptionConverters} name the allowed values), call the library and
 * print the result; every failure becomes one line on stderr and an exit code ({@code CliErrors}),
 * never a stack trace.
 *
 * <h2>What it may use</h2>
 *
 * <p>The top layer: it may use every other package, and nothing in the library uses it. Work that
 * another caller could need (building, exporting, training, classifying, summarizing) belongs in
 * those packages, not here.
 */
package io.github.resnetjava.cli;
