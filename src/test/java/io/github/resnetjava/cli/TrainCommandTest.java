package io.github.resnetjava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code resnet train}: a tiny run end to end, resume, and usage errors with exit code 2. */
class TrainCommandTest {
  @TempDir Path dir;

  private record Outcome(int exitCode, String out, String err) {}

  private Outcome train(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliErrors errors = new CliErrors();
    CommandLine command =
        new CommandLine(new TrainCommand())
            .setParameterExceptionHandler(errors)
            .setExecutionExceptionHandler(errors)
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err));
    int exitCode = command.execute(args);
    return new Outcome(exitCode, out.toString(), err.toString());
  }

  private String[] tinyRun(int steps, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "synthetic",
                "--image-size",
                "16",
                "--classes",
                "3",
                "--synthetic-train-size",
                "24",
                "--synthetic-validation-size",
                "6",
                "--batch",
                "4",
                "--steps",
                Integer.toString(steps),
                "--checkpoint-dir",
                dir.resolve("run").toString(),
                "--output-dir",
                dir.resolve("models").toString(),
                "--name",
                "tiny"));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  @Test
  void aTinyRunTrainsCheckpointsAndExportsWithLabels() throws IOException {
    Outcome outcome = train(tinyRun(3));
    assertEquals(0, outcome.exitCode(), outcome.err());
    assertTrue(outcome.out().contains("Training ResNet-18 v2"), outcome.out());
    assertTrue(outcome.out().contains("Exported " + dir.resolve("models/tiny/1")), outcome.out());
    assertTrue(outcome.out().contains("Validation accuracy: "), outcome.out());
    assertEquals(
        List.of("circle", "square", "triangle"),
        Files.readAllLines(dir.resolve("models/tiny/1/labels.txt"), StandardCharsets.UTF_8));
    assertTrue(Files.exists(dir.resolve("run/ckpt-3.index")));
    assertTrue(Files.exists(dir.resolve("run/metrics.csv")));
    assertTrue(Files.exists(dir.resolve("run/metrics.png")));

    Outcome again = train(tinyRun(3));
    assertEquals(CliErrors.BAD_ARGUMENTS, again.exitCode());
    assertTrue(again.err().contains("--resume"), again.err());

    Outcome changed = train(tinyRun(5, "--resume"));
    assertEquals(CliErrors.BAD_ARGUMENTS, changed.exitCode(), changed.err());
    assertTrue(changed.err().contains("steps: '3' in the run, '5' now"), changed.err());

    Outcome resumed = train(tinyRun(5, "--resume", "--allow-changed-settings"));
    assertEquals(0, resumed.exitCode(), resumed.err());
    assertTrue(resumed.out().contains("at step 3"), resumed.out());
    assertTrue(
        resumed.out().contains("Exported " + dir.resolve("models/tiny/2")),
        "the next version by default: " + resumed.out());
  }

  @Test
  void badValuesAreUsageErrorsNamingWhatIsAllowed() throws IOException {
    Outcome schedule = train("synthetic", "--schedule", "linear");
    assertEquals(CliErrors.BAD_ARGUMENTS, schedule.exitCode());
    assertTrue(schedule.err().contains("cosine, piecewise"), schedule.err());

    Outcome data = train(dir.resolve("missing").toString());
    assertEquals(CliErrors.BAD_ARGUMENTS, data.exitCode());
    assertTrue(data.err().contains("synthetic"), data.err());

    Outcome classes = train("synthetic", "--classes", "60", "--steps", "1");
    assertEquals(CliErrors.BAD_ARGUMENTS, classes.exitCode());
    assertTrue(classes.err().contains("2 to 48"), classes.err());

    Outcome warmup = train(tinyRun(3, "--warmup-steps", "3"));
    assertEquals(CliErrors.BAD_ARGUMENTS, warmup.exitCode());
    assertTrue(warmup.err().contains("warmupSteps"), warmup.err());
  }

  @Test
  void theModelNameAndVersionAreCheckedBeforeTrainingStarts() throws IOException {
    String[] args = tinyRun(2);
    args[List.of(args).indexOf("tiny")] = "../escape";
    Outcome badName = train(args);
    assertEquals(CliErrors.BAD_ARGUMENTS, badName.exitCode(), badName.err());
    assertTrue(badName.err().contains("Model name must match"), badName.err());
    assertFalse(badName.out().contains("Training ResNet"), badName.out());
    assertFalse(Files.exists(dir.resolve("run/ckpt-2.index")), "trained before refusing");

    Files.createDirectories(dir.resolve("models/tiny/7"));
    Outcome taken = train(tinyRun(2, "--version", "7"));
    assertEquals(CliErrors.BAD_ARGUMENTS, taken.exitCode(), taken.err());
    assertTrue(taken.err().contains("--overwrite"), taken.err());
    assertFalse(taken.out().contains("Training ResNet"), taken.out());
    assertFalse(Files.exists(dir.resolve("run/ckpt-2.index")), "trained before refusing");
  }

  @Test
  void aDivergingRunFailsWithTheStepAndARateHintAndExportsNothing() {
    Outcome diverged = train(tinyRun(10, "--lr", "1e4", "--checkpoint-every", "2"));
    assertEquals(CliErrors.FAILED, diverged.exitCode(), diverged.out() + diverged.err());
    assertTrue(diverged.err().contains("Training diverged at step "), diverged.err());
    assertTrue(diverged.err().contains("(learning rate "), diverged.err());
    assertTrue(diverged.err().contains("--lr"), diverged.err());
    assertFalse(Files.exists(dir.resolve("models/tiny")), "a diverged model is never exported");
  }

  @Test
  void resizeDimIsExportsNameAndImageSizeStillWorks() {
    TrainCommand byNewName = new TrainCommand();
    new CommandLine(byNewName).parseArgs("synthetic", "--resize-dim", "24");
    TrainCommand byOldName = new TrainCommand();
    new CommandLine(byOldName).parseArgs("synthetic", "--image-size", "24");
    TrainCommand byDefault = new TrainCommand();
    new CommandLine(byDefault).parseArgs("synthetic");
    assertEquals(24, byNewName.architecture.resizeDim);
    assertEquals(24, byOldName.architecture.resizeDim);
    assertEquals(32, byDefault.architecture.resizeDim);
  }
}
