package io.github.resnetjava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code resnet train --init-from}: fine-tuning an exported model on other classes. */
class FineTuneCommandTest {
  @TempDir Path dir;

  private String[] tinyRun(String name, int classes, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "train",
                "synthetic",
                "--image-size",
                "16",
                "--classes",
                Integer.toString(classes),
                "--synthetic-train-size",
                "16",
                "--synthetic-validation-size",
                "4",
                "--batch",
                "4",
                "--steps",
                "2",
                "--checkpoint-dir",
                dir.resolve("runs").resolve(name).toString(),
                "--output-dir",
                dir.resolve("models").toString(),
                "--name",
                name));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  @Test
  void fineTuningAnExportedModelReportsWhatItRestored() {
    CliRun source = CliRun.of(tinyRun("source", 3));
    assertEquals(0, source.exitCode(), source.err());

    CliRun tuned =
        CliRun.of(
            tinyRun(
                "tuned",
                2,
                "--init-from",
                dir.resolve("models/source").toString(),
                "--freeze-backbone",
                "--no-export"));

    assertEquals(0, tuned.exitCode(), tuned.err());
    assertTrue(
        tuned
            .out()
            .contains(
                "  fine-tuning: initialized from "
                    + dir.resolve("models/source")
                    + ", backbone frozen, training the head"),
        tuned.out());
    // ResNet-18 v2's variables: conv_initial's kernel and bias; per block layer, a first block
    // with two batch norms (4 each) and three convolutions (projection included, 2 each) and a
    // second with two of each: 14 + 12; the final batch norm's 4; the logits' 2. 2 + 4 * 26 + 4
    // + 2 = 112, all but the head's two from the source.
    assertTrue(
        tuned
            .out()
            .contains(
                "  Initialized 110 of 112 variables from SavedModel "
                    + dir.resolve("models/source/1")
                    + "; freshly initialized: logits/kernel [512, 2]"
                    + " (source: [512, 3]), logits/bias [2] (source: [3])"),
        tuned.out());
    assertTrue(tuned.out().contains("Validation accuracy: "), tuned.out());
  }

  @Test
  void fineTuningOptionsWithoutInitFromAreUsageErrors() {
    CliRun run = CliRun.of(tinyRun("frozen", 2, "--freeze-backbone"));

    assertEquals(CliErrors.BAD_ARGUMENTS, run.exitCode());
    assertTrue(
        run.err().contains("--freeze-backbone and --backbone-lr-scale need --init-from"),
        run.err());
  }
}
