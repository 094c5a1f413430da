package io.github.resnetjava.cli;

import io.github.resnetjava.gpu.CudaRuntime;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code resnet} command line: {@code export}, {@code predict}, {@code summary}, {@code train},
 * {@code generate-images}, {@code serve} and {@code serving-config}. Each subcommand parses its
 * options, calls the library and prints the result; failures print one line and exit with {@value
 * CliErrors#BAD_ARGUMENTS} (bad arguments) or {@value CliErrors#FAILED} (the work failed), as
 * {@link CliErrors} describes.
 */
@Command(
    name = "resnet",
    mixinStandardHelpOptions = true,
    versionProvider = ResNetCli.Version.class,
    description =
        "Pre-activation ResNets (ResNet v2) in TensorFlow graphs: export, summarize,"
            + " classify, train, serve.",
    subcommands = {
      ExportCommand.class,
      PredictCommand.class,
      SummaryCommand.class,
      TrainCommand.class,
      GenerateImagesCommand.class,
      ServeCommand.class,
      ServingConfigCommand.class
    },
    footer = {
      "",
      "Exit codes: 0 success, "
          + CliErrors.FAILED
          + " the command failed, "
          + CliErrors.BAD_ARGUMENTS
          + " bad arguments."
    })
public final class ResNetCli implements Runnable {
  @Spec CommandSpec spec;

  /** Entry point of the executable jar. */
  public static void main(String[] args) {
    // The CLI draws pictures but never opens a window.
    System.setProperty("java.awt.headless", "true");
    // Before TensorFlow's first session: a -Pgpu build then finds its bundled CUDA libraries.
    CudaRuntime.preload();
    System.exit(commandLine().execute(args));
  }

  /**
   * The command line with this project's error handling: what {@link #main} runs, and what tests
   * run with their own output streams ({@code setOut}, {@code setErr}).
   */
  public static CommandLine commandLine() {
    CliErrors errors = new CliErrors();
    return new CommandLine(new ResNetCli())
        .setParameterExceptionHandler(errors)
        .setExecutionExceptionHandler(errors);
  }

  /** Without a subcommand there is nothing to do: a usage error. */
  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(),
        "Missing a command: export, predict, summary, train, generate-images,"
            + " serve or serving-config");
  }

  /** The project version from the jar manifest, when run from a built jar. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = ResNetCli.class.getPackage().getImplementationVersion();
      return new String[] {"resnet-java " + (version != null ? version : "(development build)")};
    }
  }
}
