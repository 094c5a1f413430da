package io.github.resnetjava.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loop checkpoints, evaluates and records as configured, and protects existing runs. */
class TrainingRunTest {
  @TempDir Path dir;

  @Test
  void aRunCheckpointsEvaluatesAndRecordsEveryStep() throws IOException {
    DatasetSplit data = SyntheticShapesDataset.splits(4, TrainingFixtures.SIDE, 40, 12, 8);
    StringWriter output = new StringWriter();
    try (Trainer trainer = new Trainer(TrainingFixtures.smallConfig().steps(4).build())) {
      TrainingRun.Summary summary =
          new TrainingRun(
                  trainer,
                  data,
                  new TrainingRun.Options(dir, 2, 1, 2, false, false),
                  new PrintWriter(output))
              .run();
      assertEquals(0, summary.firstStep());
      assertEquals(4, summary.finalStep());
      assertEquals(dir.resolve("ckpt-4"), summary.lastCheckpoint());
      assertEquals(
          trainer.evaluate(data.validation(), 5),
          summary.validationAccuracy(),
          0.0,
          "the reported accuracy is the final weights' accuracy on the validation set");

      assertEquals(List.of(dir.resolve("ckpt-4")), new CheckpointManager(dir, 1).checkpoints());
      assertTrue(Files.exists(dir.resolve("ckpt-4.index")));
      assertTrue(Files.notExists(dir.resolve("ckpt-2.index")), "only the last one is kept");
      List<MetricsCsv.Row> rows = MetricsCsv.read(dir.resolve(TrainingRun.METRICS_CSV));
      assertEquals(List.of(1L, 2L, 3L, 4L), rows.stream().map(MetricsCsv.Row::step).toList());
      assertEquals(
          List.of(false, true, false, true),
          rows.stream().map(row -> row.validationAccuracy().isPresent()).toList());
      assertEquals(
          summary.validationAccuracy(), rows.get(3).validationAccuracy().getAsDouble(), 1e-6);
      assertTrue(Files.size(dir.resolve(TrainingRun.METRICS_PNG)) > 0);
      assertTrue(output.toString().contains("step 4: validation accuracy"), output.toString());
    }
  }

  @Test
  void aDirectoryWithCheckpointsIsOnlyContinuedWhenResuming() {
    DatasetSplit data = SyntheticShapesDataset.splits(4, TrainingFixtures.SIDE, 16, 4, 8);
    TrainingConfig config = TrainingFixtures.smallConfig().steps(2).build();
    try (Trainer trainer = new Trainer(config)) {
      run(trainer, data, false);
    }
    try (Trainer trainer = new Trainer(config)) {
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> run(trainer, data, false));
      assertTrue(
          e.getMessage().contains("ckpt-2") && e.getMessage().contains("--resume"), e.getMessage());
      TrainingRun.Summary resumed = run(trainer, data, true);
      assertEquals(2, resumed.firstStep(), "nothing left to train");
      assertEquals(2, resumed.finalStep());
    }
  }

  private TrainingRun.Summary run(Trainer trainer, DatasetSplit data, boolean resume) {
    return new TrainingRun(
            trainer,
            data,
            new TrainingRun.Options(dir, 10, 2, 10, resume, false),
            new PrintWriter(new StringWriter()))
        .run();
  }
}
