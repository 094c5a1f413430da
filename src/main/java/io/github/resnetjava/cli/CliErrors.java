package io.github.resnetjava.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every failure into one line on stderr and an exit code, never a stack trace: {@value
 * #BAD_ARGUMENTS} for bad arguments (picocli's usage errors, and values the library rejects with an
 * {@link IllegalArgumentException}), {@value #FAILED} for anything that went wrong while doing the
 * work (an unreadable model, an export that could not be written, and every TensorFlow runtime
 * error, {@code TFInvalidArgumentException} included although it extends {@code
 * IllegalArgumentException}: a kernel rejecting a tensor is not a bad command-line argument).
 */
final class CliErrors implements IParameterExceptionHandler, IExecutionExceptionHandler {
  /** Exit code of a command that failed while running. */
  static final int FAILED = 1;

  /** Exit code of a command given bad arguments; picocli's own usage-error code. */
  static final int BAD_ARGUMENTS = 2;

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    err.println(command.getCommandSpec().qualifiedName() + ": " + firstLine(e));
    UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for usage.");
    err.flush();
    return BAD_ARGUMENTS;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) {
    if (e instanceof IllegalArgumentException && !isTensorFlowRuntimeError(e)) {
      return handleParseException(new ParameterException(command, firstLine(e), e), null);
    }
    PrintWriter err = command.getErr();
    err.println(command.getCommandSpec().qualifiedName() + ": error: " + firstLine(e));
    err.flush();
    return FAILED;
  }

  /** Whether {@code e} is one of TensorFlow's runtime exceptions ({@code org.tensorflow...}). */
  private static boolean isTensorFlowRuntimeError(Exception e) {
    return e.getClass().getName().startsWith("org.tensorflow.");
  }

  /**
   * The first line of the message (TensorFlow appends node dumps on further lines), or the
   * exception's class when there is no message.
   */
  static String firstLine(Throwable e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.getClass().getSimpleName();
    }
    return message.strip().lines().findFirst().orElse(message);
  }
}
