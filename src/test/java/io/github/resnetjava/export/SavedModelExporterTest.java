package io.github.resnetjava.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resnetjava.model.DataFormat;
import io.github.resnetjava.savedmodel.Signatures;
import io.github.resnetjava.testing.ServingFixture;
import io.github.resnetjava.testing.TensorData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;

/** The files an export writes, its atomicity, and what a load restores. */
class SavedModelExporterTest {
  private static final float[] BIAS_A = {1f, 2f, 3f, 4f, 5f, 6f, 7f};
  private static final float[] BIAS_B = {-7f, -6f, -5f, -4f, -3f, -2f, -1f};
  private static final List<String> LABELS =
      List.of("cat", "dog", "fish", "bird", "horse", "ship", "truck");

  private static ServingFixture fixture;

  @TempDir Path modelsDir;

  @BeforeAll
  static void build() {
    fixture = ServingFixture.create(DataFormat.CHANNELS_LAST);
  }

  @AfterAll
  static void close() {
    fixture.close();
  }

  private SavedModelExporter exporter() {
    return SavedModelExporter.into(modelsDir, "resnet");
  }

  private static float[] loadedLogitsBias(Path dir) {
    try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), Signatures.TAG_SERVE);
        Result result = bundle.session().runner().fetch(ServingFixture.LOGITS_BIAS).run()) {
      return TensorData.values(result.get(0));
    }
  }

  /** The entries of a model directory but its permanent export lock file. */
  private List<String> entries(Path dir) throws IOException {
    try (Stream<Path> children = Files.list(dir)) {
      return children
          .map(p -> p.getFileName().toString())
          .filter(name -> !name.equals(VersionSwap.LOCK_FILE))
          .sorted()
          .toList();
    }
  }

  @Test
  void theNextExportRestoresAVersionLeftAsideByACrashAndDeletesStaleLeftovers() throws IOException {
    fixture.setLogitsBias(BIAS_A);
    Path version3 = exporter().export(fixture.session, fixture.serving, 3);
    Path modelDir = modelsDir.resolve("resnet");
    // A process killed between the two renames of an overwrite leaves the only copy aside, and
    // one killed while staging leaves a partial hidden directory.
    Files.move(version3, modelDir.resolve(".old-3-0123456789abcdef"));
    Files.createDirectories(modelDir.resolve(".tmp-4-fedcba9876543210/variables"));
    Files.writeString(modelDir.resolve(".tmp-4-fedcba9876543210/saved_model.pb"), "partial");

    fixture.setLogitsBias(BIAS_B);
    exporter().export(fixture.session, fixture.serving, 5);
    assertEquals(List.of("3", "5"), entries(modelDir));
    assertArrayEquals(BIAS_A, loadedLogitsBias(version3), 0f);
    assertArrayEquals(BIAS_B, loadedLogitsBias(modelDir.resolve("5")), 0f);
  }

  @Test
  void anExportStartedWhileAnotherStagesWaitsInsteadOfDeletingItsStaging() throws Exception {
    fixture.setLogitsBias(BIAS_A);
    java.util.concurrent.atomic.AtomicReference<Thread> second =
        new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicReference<Throwable> secondFailure =
        new java.util.concurrent.atomic.AtomicReference<>();
    SavedModelExporter first =
        exporter()
            .withStagingHook(
                staging -> {
                  Thread thread =
                      new Thread(
                          () -> {
                            try {
                              exporter().export(fixture.session, fixture.serving, 2);
                            } catch (Throwable e) {
                              secondFailure.set(e);
                            }
                          });
                  second.set(thread);
                  thread.start();
                  // Time for the second export to clean up, were it not waiting for this one.
                  try {
                    thread.join(500);
                  } catch (InterruptedException e) {
                    throw new IOException(e);
                  }
                  assertTrue(
                      Files.isRegularFile(staging.resolve("saved_model.pb")), "staging intact");
                });
    first.export(fixture.session, fixture.serving, 1);
    second.get().join();
    assertEquals(null, secondFailure.get());
    assertEquals(List.of("1", "2"), entries(modelsDir.resolve("resnet")));
  }

  @Test
  void aRetiredCopyOfAVersionThatExistsIsOnlyDeleted() throws IOException {
    fixture.setLogitsBias(BIAS_A);
    exporter().export(fixture.session, fixture.serving, 1);
    Path modelDir = modelsDir.resolve("resnet");
    Files.createDirectories(modelDir.resolve(".old-1-00000000000000aa"));
    Files.writeString(modelDir.resolve(".old-1-00000000000000aa/saved_model.pb"), "older");
    exporter().export(fixture.session, fixture.serving, 2);
    assertEquals(List.of("1", "2"), entries(modelDir));
    assertArrayEquals(BIAS_A, loadedLogitsBias(modelDir.resolve("1")), 0f);
  }

  @Test
  void writesTheTfServingLayoutWithLabels() throws IOException {
    fixture.setLogitsBias(BIAS_A);
    Path dir = exporter().withLabels(LABELS).export(fixture.session, fixture.serving, 3);
    assertEquals(modelsDir.resolve("resnet/3"), dir);
    assertEquals(List.of("labels.txt", "saved_model.pb", "variables"), entries(dir));
    assertTrue(Files.isRegularFile(dir.resolve("variables/variables.index")));
    assertEquals(LABELS, Files.readAllLines(dir.resolve("labels.txt"), StandardCharsets.UTF_8));
    assertEquals(List.of("3"), entries(modelsDir.resolve("resnet")), "no staging directory left");
    assertEquals(4, exporter().nextVersion());
    Files.createDirectories(modelsDir.resolve("resnet/9"));
    assertEquals(10, exporter().nextVersion(), "an unfinished version directory still counts");
  }

  @Test
  void loadingRestoresTheSessionValuesWithoutRerunningInitializers() {
    fixture.setLogitsBias(BIAS_A);
    Path dir = exporter().export(fixture.session, fixture.serving, 1);
    // The initializer of logits/bias is zeros; only a restore yields BIAS_A.
    assertArrayEquals(BIAS_A, loadedLogitsBias(dir), 0f);
    try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), Signatures.TAG_SERVE)) {
      float[] kernel;
      try (Result result = bundle.session().runner().fetch("conv_initial/kernel").run()) {
        kernel = TensorData.values(result.get(0));
      }
      assertArrayEquals(fixture.variable("conv_initial/kernel"), kernel, 0f);
    }
  }

  @Test
  void theSavedGraphPinsNoNodeToADeviceAndCarriesBothSignatures() {
    Path dir = exporter().export(fixture.session, fixture.serving, 1);
    try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), Signatures.TAG_SERVE)) {
      MetaGraphDef meta = bundle.metaGraphDef();
      assertEquals(List.of(Signatures.TAG_SERVE), meta.getMetaInfoDef().getTagsList());
      assertEquals(
          List.of(Signatures.IMAGE_BYTES, Signatures.SERVING_DEFAULT),
          meta.getSignatureDefMap().keySet().stream().sorted().toList());
      for (NodeDef node : meta.getGraphDef().getNodeList()) {
        assertEquals("", node.getDevice(), node.getName());
      }
      List<FunctionDef> functions = meta.getGraphDef().getLibrary().getFunctionList();
      assertFalse(functions.isEmpty(), "the per-image preprocessing function is in the library");
      for (FunctionDef function : functions) {
        for (NodeDef node : function.getNodeDefList()) {
          assertEquals("", node.getDevice(), node.getName());
        }
      }
    }
  }

  @Test
  void anExistingVersionIsKeptUnlessOverwriteIsOn() throws IOException {
    fixture.setLogitsBias(BIAS_A);
    Path dir = exporter().export(fixture.session, fixture.serving, 2);
    fixture.setLogitsBias(BIAS_B);
    ExportException refused =
        assertThrows(
            ExportException.class, () -> exporter().export(fixture.session, fixture.serving, 2));
    assertTrue(refused.getMessage().contains("already exists"), refused.getMessage());
    assertArrayEquals(BIAS_A, loadedLogitsBias(dir), 0f);

    assertEquals(dir, exporter().withOverwrite(true).export(fixture.session, fixture.serving, 2));
    assertArrayEquals(BIAS_B, loadedLogitsBias(dir), 0f);
    assertEquals(List.of("2"), entries(modelsDir.resolve("resnet")), "no hidden directory left");
  }

  @Test
  void aFailedExportLeavesNothingLoadableBehind() throws IOException {
    fixture.setLogitsBias(BIAS_A);
    SavedModelExporter failing =
        exporter()
            .withLabels(LABELS)
            .withStagingHook(
                staging -> {
                  assertTrue(
                      Files.isRegularFile(staging.resolve("saved_model.pb")), "fully staged");
                  throw new IOException("disk full (injected)");
                });
    ExportException e =
        assertThrows(
            ExportException.class, () -> failing.export(fixture.session, fixture.serving, 1));
    assertTrue(e.getMessage().contains("disk full (injected)"), e.getMessage());
    assertFalse(Files.exists(modelsDir.resolve("resnet/1")));
    assertEquals(List.of(), entries(modelsDir.resolve("resnet")), "staging directory removed");
  }

  @Test
  void aFailedOverwriteKeepsTheOldVersion() throws IOException {
    fixture.setLogitsBias(BIAS_A);
    Path dir = exporter().export(fixture.session, fixture.serving, 1);
    fixture.setLogitsBias(BIAS_B);
    SavedModelExporter failing =
        exporter()
            .withOverwrite(true)
            .withStagingHook(
                staging -> {
                  throw new IOException("interrupted (injected)");
                });
    assertThrows(ExportException.class, () -> failing.export(fixture.session, fixture.serving, 1));
    assertArrayEquals(BIAS_A, loadedLogitsBias(dir), 0f);
    assertEquals(List.of("1"), entries(modelsDir.resolve("resnet")));
  }

  @Test
  void rejectsBadArgumentsBeforeWritingAnything() throws IOException {
    Path missing = modelsDir.resolve("missing");
    ExportException noDir =
        assertThrows(
            ExportException.class,
            () ->
                SavedModelExporter.into(missing, "resnet")
                    .export(fixture.session, fixture.serving, 1));
    assertTrue(noDir.getMessage().contains("does not exist"), noDir.getMessage());
    assertFalse(Files.exists(missing));

    assertThrows(IllegalArgumentException.class, () -> SavedModelExporter.into(modelsDir, "../up"));
    assertThrows(IllegalArgumentException.class, () -> SavedModelExporter.into(null, "resnet"));
    assertThrows(
        IllegalArgumentException.class,
        () -> exporter().export(fixture.session, fixture.serving, -1));
    IllegalArgumentException labels =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                exporter()
                    .withLabels(List.of("a", "b"))
                    .export(fixture.session, fixture.serving, 1));
    assertTrue(
        labels.getMessage().contains("2 labels for a model with 7 classes"), labels.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> exporter().withLabels(List.of("a\nb", "c", "d", "e", "f", "g", "h")));
    assertThrows(
        IllegalArgumentException.class, () -> exporter().withLabels(Arrays.asList("a", null)));
    try (Graph other = new Graph();
        Session otherSession = new Session(other)) {
      assertThrows(
          IllegalArgumentException.class,
          () -> exporter().export(otherSession, fixture.serving, 1));
    }
    assertEquals(List.of(), entries(modelsDir));
  }
}
