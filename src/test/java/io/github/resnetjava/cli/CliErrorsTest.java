package io.github.resnetjava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Exit codes: usage errors 2 with a pointer to --help, failures while working 1. */
class CliErrorsTest {
  /** A command whose work throws what it is given. */
  @Command(name = "work")
  static final class Throwing implements Callable<Integer> {
    private final RuntimeException failure;

    Throwing(RuntimeException failure) {
      this.failure = failure;
    }

    @Override
    public Integer call() {
      throw failure;
    }
  }

  private static CliRun run(RuntimeException failure) {
    StringWriter err = new StringWriter();
    CliErrors errors = new CliErrors();
    int exitCode =
        new CommandLine(new Throwing(failure))
            .setParameterExceptionHandler(errors)
            .setExecutionExceptionHandler(errors)
            .setErr(new PrintWriter(err, true))
            .execute();
    return new CliRun(exitCode, "", err.toString());
  }

  @Test
  void aTensorFlowInvalidArgumentAtRunTimeIsAFailureNotAUsageError() {
    // TF's kernels throw this (an IllegalArgumentException subclass) for a bad tensor mid-run.
    CliRun run =
        run(
            new TFInvalidArgumentException(
                "Input to reshape is a tensor with 12 values, but the requested shape has 16\n\t [[node]]"));
    assertEquals(CliErrors.FAILED, run.exitCode(), run.err());
    assertEquals(
        "work: error: Input to reshape is a tensor with 12 values, but the requested shape has 16",
        run.err().strip());
    assertFalse(run.err().contains("--help"), run.err());
  }

  @Test
  void aValueTheLibraryRejectsIsStillAUsageError() {
    CliRun run = run(new IllegalArgumentException("depth must be one of 18, 34; got 42"));
    assertEquals(CliErrors.BAD_ARGUMENTS, run.exitCode(), run.err());
    assertTrue(run.err().contains("Try 'work --help'"), run.err());
  }
}
