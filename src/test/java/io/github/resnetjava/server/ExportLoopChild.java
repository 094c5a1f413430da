package io.github.resnetjava.server;

import io.github.resnetjava.export.SavedModelExporter;
import io.github.resnetjava.model.DataFormat;
import io.github.resnetjava.testing.ServingFixture;
import java.nio.file.Path;

/**
 * The child JVM of {@link FaultsTest}'s kill-9 test: exports the tiny model, with version 1's
 * weights, as versions 2, 3, ... into {@code <modelsDir>/<name>} with the real exporter, one after
 * another, until it is killed (or after 200 versions, so that it always stops by itself).
 */
public final class ExportLoopChild {
  private ExportLoopChild() {}

  /** {@code args}: the models directory and the model name. */
  public static void main(String[] args) {
    Path modelsDir = Path.of(args[0]);
    try (ServingFixture fixture = ServingFixture.create(DataFormat.CHANNELS_LAST)) {
      fixture.setLogitsBias(ServedModels.bias(1));
      SavedModelExporter exporter =
          SavedModelExporter.into(modelsDir, args[1]).withLabels(ServedModels.LABELS);
      for (long version = 2; version < 202; version++) {
        exporter.export(fixture.session, fixture.serving, version);
      }
    }
  }
}
