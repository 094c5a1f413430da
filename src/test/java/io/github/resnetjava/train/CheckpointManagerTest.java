package io.github.resnetjava.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.exceptions.TFFailedPreconditionException;

/** Keeping the last K checkpoints, TF's state file, and crash safety, with a fake writer. */
class CheckpointManagerTest {
  @TempDir Path dir;

  /** Writes what TF's SaveV2 writes for one shard: an index and a data file. */
  private static void writeFakeCheckpoint(Path prefix) throws IOException {
    Files.writeString(prefix.resolveSibling(prefix.getFileName() + ".data-00000-of-00001"), "data");
    Files.writeString(prefix.resolveSibling(prefix.getFileName() + ".index"), "index");
  }

  @Test
  void keepsTheLastCheckpointsAndNamesTheNewestInTensorFlowsStateFile() throws IOException {
    CheckpointManager manager = new CheckpointManager(dir, 2);
    assertEquals(Optional.empty(), manager.latest());
    for (long step : new long[] {100, 200, 300}) {
      assertEquals(
          dir.resolve("ckpt-" + step),
          manager.save(step, CheckpointManagerTest::writeFakeCheckpoint));
    }
    assertEquals(Optional.of(dir.resolve("ckpt-300")), manager.latest());
    assertEquals(List.of(dir.resolve("ckpt-200"), dir.resolve("ckpt-300")), manager.checkpoints());
    assertEquals(
        List.of(
            "model_checkpoint_path: \"ckpt-300\"",
            "all_model_checkpoint_paths: \"ckpt-200\"",
            "all_model_checkpoint_paths: \"ckpt-300\""),
        Files.readAllLines(dir.resolve("checkpoint"), StandardCharsets.UTF_8));
    assertEquals(
        List.of(
            CheckpointManager.MARKER_FILE,
            "checkpoint",
            "ckpt-200.data-00000-of-00001",
            "ckpt-200.index",
            "ckpt-300.data-00000-of-00001",
            "ckpt-300.index"),
        fileNames());
    assertEquals(300, CheckpointManager.stepOf(manager.latest().orElseThrow()));
  }

  @Test
  void aFailedSaveKeepsTheNewestGoodCheckpointAndLeavesNoFiles() throws IOException {
    CheckpointManager manager = new CheckpointManager(dir, 3);
    manager.save(1, CheckpointManagerTest::writeFakeCheckpoint);
    UncheckedIOException e =
        assertThrows(
            UncheckedIOException.class,
            () ->
                manager.save(
                    2,
                    prefix -> {
                      Files.writeString(
                          prefix.resolveSibling(prefix.getFileName() + ".data-00000-of-00001"),
                          "half");
                      throw new IOException("disk full");
                    }));
    assertTrue(e.getMessage().contains("ckpt-2"), e.getMessage());
    assertEquals(Optional.of(dir.resolve("ckpt-1")), manager.latest());
    assertEquals(
        List.of(
            CheckpointManager.MARKER_FILE,
            "checkpoint",
            "ckpt-1.data-00000-of-00001",
            "ckpt-1.index"),
        fileNames());
  }

  @Test
  void aTensorFlowFailureWhileSavingIsTheDocumentedExceptionAndLeavesNoFiles() throws IOException {
    CheckpointManager manager = new CheckpointManager(dir, 3);
    manager.save(1, CheckpointManagerTest::writeFakeCheckpoint);
    // What Session.save throws when TensorFlow's SaveV2 kernel fails half way.
    TFFailedPreconditionException tensorFlowFailure =
        new TFFailedPreconditionException("Attempting to use uninitialized value conv2d/kernel");
    UncheckedIOException e =
        assertThrows(
            UncheckedIOException.class,
            () ->
                manager.save(
                    2,
                    prefix -> {
                      Files.writeString(
                          prefix.resolveSibling(prefix.getFileName() + ".data-00000-of-00001"),
                          "half");
                      throw tensorFlowFailure;
                    }));
    assertTrue(e.getMessage().contains("ckpt-2"), e.getMessage());
    assertTrue(e.getMessage().contains("uninitialized value"), e.getMessage());
    assertSame(tensorFlowFailure, e.getCause().getCause());
    assertEquals(Optional.of(dir.resolve("ckpt-1")), manager.latest());
    assertEquals(
        List.of(
            CheckpointManager.MARKER_FILE,
            "checkpoint",
            "ckpt-1.data-00000-of-00001",
            "ckpt-1.index"),
        fileNames());
  }

  @Test
  void aNonEmptyFolderThatIsNotARunDirectoryIsRefusedAndLeftUntouched() throws IOException {
    Files.writeString(dir.resolve(".tmp-draft.txt"), "the user's draft");
    Files.writeString(dir.resolve("metrics.csv"), "the user's own metrics");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new CheckpointManager(dir, 3));
    assertTrue(e.getMessage().contains("not a run directory"), e.getMessage());
    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    assertEquals(List.of(".tmp-draft.txt", "metrics.csv"), fileNames());
    assertEquals("the user's draft", Files.readString(dir.resolve(".tmp-draft.txt")));
  }

  @Test
  void inARunDirectoryOnlyFilesOfTheManagersOwnNamingAreDeleted() throws IOException {
    Path run = dir.resolve("run");
    new CheckpointManager(run, 1).save(1, CheckpointManagerTest::writeFakeCheckpoint);
    Files.writeString(run.resolve(".tmp-notes"), "not a checkpoint");
    Files.writeString(run.resolve("ckpt-1.txt"), "not a checkpoint file either");
    Files.writeString(run.resolve(".tmp-ckpt-2-0badf00d.index"), "an interrupted save");

    CheckpointManager reopened = new CheckpointManager(run, 1);
    reopened.save(2, CheckpointManagerTest::writeFakeCheckpoint);
    try (Stream<Path> files = Files.list(run)) {
      assertEquals(
          List.of(
              ".resnet-run",
              ".tmp-notes",
              "checkpoint",
              "ckpt-1.txt",
              "ckpt-2.data-00000-of-00001",
              "ckpt-2.index"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void anEmptyExistingFolderBecomesARunDirectory() throws IOException {
    new CheckpointManager(dir, 2).save(5, CheckpointManagerTest::writeFakeCheckpoint);
    assertTrue(Files.isRegularFile(dir.resolve(CheckpointManager.MARKER_FILE)));
    assertEquals(Optional.of(dir.resolve("ckpt-5")), new CheckpointManager(dir, 2).latest());
  }

  @Test
  void aSaveKilledBeforeTheStateFileIsReplacedIsIgnoredAndItsLeftoversDeleted() throws IOException {
    CheckpointManager manager = new CheckpointManager(dir, 3);
    manager.save(1, CheckpointManagerTest::writeFakeCheckpoint);
    // A process killed mid-save leaves temporary files, and possibly renamed ones the state file
    // does not name yet.
    Files.writeString(dir.resolve(".tmp-ckpt-2-0badf00d.data-00000-of-00001"), "partial");
    writeFakeCheckpoint(dir.resolve("ckpt-3"));
    Files.writeString(dir.resolve(".tmp-checkpoint"), "model_checkpoint_path: \"ckpt-3\"");

    CheckpointManager reopened = new CheckpointManager(dir, 3);
    assertEquals(Optional.of(dir.resolve("ckpt-1")), reopened.latest());
    assertFalse(Files.exists(dir.resolve(".tmp-ckpt-2-0badf00d.data-00000-of-00001")));
    assertFalse(Files.exists(dir.resolve(".tmp-checkpoint")));
    reopened.save(3, CheckpointManagerTest::writeFakeCheckpoint);
    assertEquals(Optional.of(dir.resolve("ckpt-3")), reopened.latest());
  }

  @Test
  void theNewestCheckpointIsFoundFromAStateFileWrittenByTensorFlow() throws IOException {
    writeFakeCheckpoint(dir.resolve("model.ckpt-10"));
    writeFakeCheckpoint(dir.resolve("ckpt-20"));
    // Python writes absolute or relative paths; the newest is model_checkpoint_path.
    Files.writeString(
        dir.resolve("checkpoint"),
        "model_checkpoint_path: \""
            + dir.resolve("ckpt-20")
            + "\"\n"
            + "all_model_checkpoint_paths: \"model.ckpt-10\"\n"
            + "all_model_checkpoint_paths: \""
            + dir.resolve("ckpt-20")
            + "\"\n");
    CheckpointManager manager = new CheckpointManager(dir, 5);
    assertEquals(Optional.of(dir.resolve("ckpt-20")), manager.latest());
    assertThrows(
        IllegalArgumentException.class,
        () -> CheckpointManager.stepOf(dir.resolve("model.ckpt-10")));
  }

  private List<String> fileNames() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
