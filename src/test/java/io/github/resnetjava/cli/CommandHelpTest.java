package io.github.resnetjava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code --help} of every command prints its usage and nothing else: no picocli warning. Picocli
 * formats descriptions with {@link String#format}, so an unescaped {@code %} makes it print
 * "[picocli WARN] Could not format ..." on {@link System#err} (its tracer writes there, not to the
 * command line's error writer), which only a capture of {@code System.err} sees.
 */
class CommandHelpTest {

  /** Every command path of the CLI: the root, then each subcommand, found by walking the tree. */
  static Stream<List<String>> commandPaths() {
    List<List<String>> paths = new ArrayList<>();
    collect(ResNetCli.commandLine(), new ArrayList<>(), paths);
    return paths.stream();
  }

  private static void collect(CommandLine command, List<String> path, List<List<String>> paths) {
    paths.add(List.copyOf(path));
    command
        .getSubcommands()
        .forEach(
            (name, sub) -> {
              // Aliases map to the same CommandLine; visit each command once, under its own name.
              if (name.equals(sub.getCommandName())) {
                List<String> subPath = new ArrayList<>(path);
                subPath.add(name);
                collect(sub, subPath, paths);
              }
            });
  }

  @ParameterizedTest(name = "resnet {0} --help")
  @MethodSource("commandPaths")
  void helpPrintsUsageWithoutPicocliWarnings(List<String> commandPath) {
    List<String> args = new ArrayList<>(commandPath);
    args.add("--help");

    PrintStream originalErr = System.err;
    ByteArrayOutputStream systemErr = new ByteArrayOutputStream();
    CliRun run;
    try (PrintStream capture = new PrintStream(systemErr, true, StandardCharsets.UTF_8)) {
      System.setErr(capture);
      run = CliRun.of(args.toArray(String[]::new));
    } finally {
      System.setErr(originalErr);
    }
    String warnings = systemErr.toString(StandardCharsets.UTF_8);

    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().startsWith("Usage: resnet"), run.out());
    assertFalse(warnings.contains("[picocli WARN]"), warnings);
    assertEquals("", run.err());
  }
}
