package io.github.resnetjava.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.resnetjava.savedmodel.ServingLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the server's poller sees of a models directory (issue 9, item 10; issue 10, versions). */
class ModelsOnDiskTest {
  @TempDir Path modelsDir;

  private Path version(String model, String name) throws IOException {
    Path dir = Files.createDirectories(modelsDir.resolve(model).resolve(name));
    Files.write(dir.resolve(ServingLayout.SAVED_MODEL_FILE), new byte[] {0});
    return dir;
  }

  @Test
  void listsServableVersionsAsNamedAndSkipsHiddenAndEmptyOnes() throws IOException {
    Path seven = version("m", "007");
    Path one = version("m", "1");
    version("m", ".tmp-9-00000000000000ab");
    Files.createDirectories(modelsDir.resolve("m/12"));
    Files.createDirectories(modelsDir.resolve("empty"));

    Map<String, NavigableMap<Long, Path>> scanned = ModelsOnDisk.scan(modelsDir);

    assertEquals(List.of("m"), List.copyOf(scanned.keySet()));
    assertEquals(new TreeMap<>(Map.of(1L, one, 7L, seven)), scanned.get("m"));
  }

  @Test
  void aPollDuringAnOverwriteSwapKeepsTheVersionBeingReplaced() throws Exception {
    Path one = version("m", "1");
    version("m", ".old-2-00000000000000ab");
    version("m", ".tmp-2-00000000000000cd");
    Path model = modelsDir.resolve("m");
    // The overwriting export's second rename, a moment after the poller lists the model.
    Thread secondRename =
        new Thread(
            () -> {
              try {
                Thread.sleep(50);
                Files.move(model.resolve(".tmp-2-00000000000000cd"), model.resolve("2"));
              } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    secondRename.start();
    try {
      assertEquals(
          new TreeMap<>(Map.of(1L, one, 2L, model.resolve("2"))),
          ModelsOnDisk.scan(modelsDir).get("m"));
    } finally {
      secondRename.join();
    }
  }
}
