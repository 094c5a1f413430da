package io.github.resnetjava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad arguments end with exit code 2 and one clear message, never a stack trace. */
class BadArgumentsTest {
  @TempDir Path dir;

  @Test
  void anUnsupportedDepthNamesTheSupportedOnes() {
    CliRun run = CliRun.of("summary", "--depth", "42");

    assertUsageError(
        run,
        "resnet summary: Invalid value for option '--depth': must be one of"
            + " 18, 34, 50, 101, 152, 200; got '42'");
  }

  @Test
  void anUnknownDataFormatNamesTheKnownOnes() {
    CliRun run = CliRun.of("export", "--data-format", "nhcw", "--output-dir", dir.toString());

    assertUsageError(
        run,
        "resnet export: Invalid value for option '--data-format': Unknown data"
            + " format 'nhcw'; use one of channels_last (NHWC), channels_first (NCHW)");
  }

  @Test
  void aNonPositiveClassCountIsRejected() {
    CliRun run = CliRun.of("summary", "--classes", "0");

    assertUsageError(
        run,
        "resnet summary: Invalid value for option '--classes': must be an"
            + " integer >= 1; got '0'");
  }

  @Test
  void aCropLargerThanTheResizedImageIsRejectedWithTheLibrarysReason() {
    CliRun run =
        CliRun.of(
            "export", "--depth", "18", "--min-aspect-dim", "100", "--output-dir", dir.toString());

    assertUsageError(run, "resnet export: minAspectDim (100) must be >= resizeDim (224)");
    assertFalse(Files.exists(dir.resolve("resnet18")), "nothing is exported");
  }

  @Test
  void aMissingCommandOrAnUnknownOneIsAUsageError() {
    assertUsageError(CliRun.of(), "resnet: Missing a command");
    CliRun typo = CliRun.of("sumary");
    assertUsageError(typo, "resnet: Unmatched argument at index 0: 'sumary'");
    assertTrue(typo.err().contains("Did you mean: resnet summary"), typo.err());
  }

  @Test
  void predictNamesAMissingImageFileOrModelDirectory() throws IOException {
    Path model = Files.createDirectory(dir.resolve("model"));
    assertUsageError(
        CliRun.of("predict", model.toString(), dir.resolve("nope.png").toString()),
        "resnet predict: image file not found: " + dir.resolve("nope.png"));
    assertUsageError(
        CliRun.of("predict", dir.resolve("absent").toString(), "x.png"),
        "resnet predict: model directory not found: " + dir.resolve("absent"));
    assertUsageError(
        CliRun.of("predict", model.toString()),
        "resnet predict: Missing required parameter: 'IMAGE'");
  }

  @Test
  void exportChecksTheLabelsFileAgainstTheClassCount() throws IOException {
    Path labels = Files.write(dir.resolve("labels.txt"), List.of("cat", "dog"));

    assertUsageError(
        CliRun.of(
            "export",
            "--classes",
            "3",
            "--labels",
            labels.toString(),
            "--output-dir",
            dir.toString()),
        "resnet export: --labels: "
            + labels
            + " has 2 lines but --classes is 3; give one label"
            + " per class, in class-index order");
    assertUsageError(
        CliRun.of(
            "export",
            "--labels",
            dir.resolve("none.txt").toString(),
            "--output-dir",
            dir.toString()),
        "resnet export: --labels: file not found: " + dir.resolve("none.txt"));
  }

  /** Exit code 2, nothing on stdout, {@code firstLine} then a pointer to the help on stderr. */
  private static void assertUsageError(CliRun run, String firstLine) {
    assertEquals(CliErrors.BAD_ARGUMENTS, run.exitCode(), run.err());
    assertEquals("", run.out());
    List<String> lines = run.err().lines().toList();
    assertTrue(lines.get(0).startsWith(firstLine), run.err());
    assertTrue(lines.get(lines.size() - 1).startsWith("Try 'resnet"), run.err());
    assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
  }
}
