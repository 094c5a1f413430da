package io.github.resnetjava.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resuming compares the run's stored configuration and class names with the current ones and
 * refuses a difference, listing it, unless the change is accepted explicitly.
 */
class ResumeSettingsTest {
  @TempDir Path dir;

  /** The synthetic set with its classes renamed: what renaming class folders does. */
  private static final class RenamedClasses extends TrainingFixtures.ForwardingDataset {
    private final List<String> classNames;

    RenamedClasses(ImageDataset delegate, List<String> classNames) {
      super(delegate);
      this.classNames = classNames;
    }

    @Override
    public List<String> classNames() {
      return classNames;
    }
  }

  private static DatasetSplit data(List<String> classNames) {
    DatasetSplit synthetic = SyntheticShapesDataset.splits(4, TrainingFixtures.SIDE, 16, 4, 8);
    return classNames == null
        ? synthetic
        : new DatasetSplit(
            new RenamedClasses(synthetic.train(), classNames),
            new RenamedClasses(synthetic.validation(), classNames));
  }

  private TrainingRun.Summary run(
      TrainingConfig config, DatasetSplit data, boolean resume, boolean acceptChanges) {
    try (Trainer trainer = new Trainer(config)) {
      return TrainingFixtures.runQuietly(
          trainer, data, new TrainingRun.Options(dir, 10, 2, 10, resume, false, acceptChanges));
    }
  }

  @Test
  void aResumeWithOtherStepsOrRenamedClassesIsRefusedWithTheDifferences() {
    TrainingConfig config = TrainingFixtures.smallConfig().steps(2).build();
    run(config, data(null), false, false);
    List<String> original = data(null).train().classNames();
    assertEquals(
        RunSettings.of(config, original),
        RunSettings.read(dir).orElseThrow(),
        "the run's settings are stored with its checkpoints");

    TrainingConfig longer = config.toBuilder().steps(3).build();
    IllegalArgumentException steps =
        assertThrows(IllegalArgumentException.class, () -> run(longer, data(null), true, false));
    assertTrue(steps.getMessage().contains("steps: '2' in the run, '3' now"), steps.getMessage());
    assertTrue(steps.getMessage().contains("--allow-changed-settings"), steps.getMessage());

    List<String> renamed =
        List.of(original.get(1), original.get(0), original.get(2), original.get(3));
    IllegalArgumentException classes =
        assertThrows(IllegalArgumentException.class, () -> run(config, data(renamed), true, false));
    assertTrue(
        classes
            .getMessage()
            .contains(
                "class.0: '" + original.get(0) + "' in the run, '" + original.get(1) + "' now"),
        classes.getMessage());
    assertTrue(
        classes
            .getMessage()
            .contains(
                "class.1: '" + original.get(1) + "' in the run, '" + original.get(0) + "' now"),
        classes.getMessage());

    TrainingRun.Summary accepted = run(longer, data(null), true, true);
    assertEquals(2, accepted.firstStep());
    assertEquals(3, accepted.finalStep());
    assertEquals(
        RunSettings.of(longer, original),
        RunSettings.read(dir).orElseThrow(),
        "the accepted settings are the run's from now on");
  }
}
