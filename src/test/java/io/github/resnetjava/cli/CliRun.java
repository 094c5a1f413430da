package io.github.resnetjava.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * One in-process run of the {@code resnet} command line with captured output.
 *
 * @param exitCode what {@code main} would exit with
 * @param out everything printed to stdout
 * @param err everything printed to stderr
 */
record CliRun(int exitCode, String out, String err) {

  /** Runs {@code resnet args...} as {@link ResNetCli#main} does, without exiting. */
  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = ResNetCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exitCode = cli.execute(args);
    return new CliRun(exitCode, out.toString(), err.toString());
  }
}
