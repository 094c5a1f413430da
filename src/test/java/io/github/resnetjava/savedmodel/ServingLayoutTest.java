package io.github.resnetjava.savedmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TF Serving's directory layout: which directories are versions, and valid names. */
class ServingLayoutTest {
  @TempDir Path modelDir;

  private void version(String name, boolean withSavedModel) throws IOException {
    Path dir = Files.createDirectories(modelDir.resolve(name));
    if (withSavedModel) {
      Files.write(dir.resolve(ServingLayout.SAVED_MODEL_FILE), new byte[] {0});
    }
  }

  @Test
  void latestVersionIsTheHighestNumericDirectoryHoldingASavedModel() throws IOException {
    assertEquals(OptionalLong.empty(), ServingLayout.latestVersion(modelDir));
    version("2", true);
    version("10", true);
    version("11", false);
    version(".tmp-12-abc", true);
    version("v13", true);
    Files.write(modelDir.resolve("14"), new byte[] {0});
    assertEquals(OptionalLong.of(10), ServingLayout.latestVersion(modelDir));
    assertEquals(OptionalLong.of(11), ServingLayout.highestVersionDirectory(modelDir));
    assertEquals(OptionalLong.empty(), ServingLayout.latestVersion(modelDir.resolve("missing")));
  }

  @Test
  void theLatestVersionDirectoryIsNamedAsListedAndMustBeUnambiguous() throws IOException {
    assertEquals(Optional.empty(), ServingLayout.latestVersionDirectory(modelDir));
    version("3", true);
    version("007", true);
    version("8", false);
    assertEquals(
        Optional.of(modelDir.resolve("007")), ServingLayout.latestVersionDirectory(modelDir));
    version("7", true);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> ServingLayout.latestVersionDirectory(modelDir));
    assertTrue(e.getMessage().contains("2 directories for version 7 [007, 7]"), e.getMessage());
  }

  @Test
  void modelNamesAreSinglePlainDirectoryNames() {
    assertEquals("resnet_18-v2.1", ServingLayout.requireModelName("resnet_18-v2.1"));
    for (String bad : new String[] {"", ".hidden", "a/b", "..", "a b", "-x"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> ServingLayout.requireModelName(bad));
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> ServingLayout.requireModelName(null));
    assertThrows(IllegalArgumentException.class, () -> ServingLayout.requireVersion(-1));
    assertEquals(0, ServingLayout.requireVersion(0));
  }

  /** An overwriting export's second rename, {@code delayMillis} after the caller lists. */
  private Thread renameLater(String staging, String version, long delayMillis) {
    Thread secondRename =
        new Thread(
            () -> {
              try {
                Thread.sleep(delayMillis);
                Files.move(modelDir.resolve(staging), modelDir.resolve(version));
              } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    secondRename.start();
    return secondRename;
  }

  @Test
  void aLoaderListingDuringAnOverwriteSwapWaitsForTheNewVersionInsteadOfAnOlderOne()
      throws Exception {
    version("1", true);
    version(".old-2-00000000000000ab", true);
    version(".tmp-2-00000000000000cd", true);
    Thread secondRename = renameLater(".tmp-2-00000000000000cd", "2", 50);
    try {
      assertEquals(
          Optional.of(modelDir.resolve("2")), ServingLayout.latestVersionDirectory(modelDir));
    } finally {
      secondRename.join();
    }
  }

  @Test
  void aListingDuringTheSwapOfAnOlderVersionStillListsIt() throws Exception {
    version("1", true);
    version("3", true);
    version(".old-2-00000000000000ab", true);
    version(".tmp-2-00000000000000cd", true);
    Thread secondRename = renameLater(".tmp-2-00000000000000cd", "2", 50);
    try {
      assertEquals(
          List.of(modelDir.resolve("1"), modelDir.resolve("2"), modelDir.resolve("3")),
          ServingLayout.servableVersionDirectories(modelDir));
    } finally {
      secondRename.join();
    }
  }

  @Test
  void aRetiredCopyLeftAloneByACrashIsIgnoredAfterTheWait() throws IOException {
    version("1", true);
    version(".old-2-00000000000000ab", true);
    assertEquals(
        Optional.of(modelDir.resolve("1")), ServingLayout.latestVersionDirectory(modelDir));
  }
}
