package io.github.resnetjava.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.github.resnetjava.export.SavedModelExporter;
import io.github.resnetjava.model.DataFormat;
import io.github.resnetjava.serving.SessionConfig;
import io.github.resnetjava.testing.ServingFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Tiny exports for the server tests: the {@link ServingFixture} ResNet-18 (32x32 images, 7
 * classes), exported as versions whose logits bias differs, so versions give different answers.
 */
final class ServedModels {
  static final int SIDE = ServingFixture.RESIZE_DIM;
  static final int CLASSES = ServingFixture.CLASSES;
  static final List<String> LABELS =
      List.of("cat", "dog", "fish", "bird", "horse", "ship", "truck");

  /**
   * A model whose weights went non-finite: logits bias NaN, +Infinity and -Infinity for classes 1,
   * 2 and 3, so those logits are NaN, +Infinity and -Infinity whatever the image.
   */
  static final String NON_FINITE = "nonfinite";

  static final float[] NON_FINITE_BIAS = {
    0.5f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1.5f, -0.25f, 3f
  };

  private static Path template;

  private ServedModels() {}

  /**
   * Versions 1 to 3 of the tiny model, and version 1 of {@value #NON_FINITE}, exported once per
   * test JVM (the export is the slow part of a server test) into a temporary directory deleted at
   * exit.
   */
  static synchronized Path template() {
    if (template == null) {
      try {
        Path dir = Files.createTempDirectory("served-models");
        try (ServingFixture fixture = ServingFixture.create(DataFormat.CHANNELS_LAST)) {
          export(fixture, dir, "resnet", 1, 2, 3);
          fixture.setLogitsBias(NON_FINITE_BIAS);
          export(fixture, dir, NON_FINITE, 1);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
        template = dir;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return template;
  }

  /**
   * Puts version {@code version} (1 to 3) of the template into {@code <modelsDir>/<name>/}, as the
   * exporter does it: copied into a hidden staging directory, then renamed into place.
   */
  static Path install(Path modelsDir, String name, long version) {
    return install(
        template().resolve("resnet").resolve(Long.toString(version)), modelsDir, name, version);
  }

  /** Puts the template's {@value #NON_FINITE} model into {@code <modelsDir>/nonfinite/1}. */
  static Path installNonFinite(Path modelsDir) {
    return install(template().resolve(NON_FINITE).resolve("1"), modelsDir, NON_FINITE, 1);
  }

  private static Path install(Path source, Path modelsDir, String name, long version) {
    Path target = modelsDir.resolve(name).resolve(Long.toString(version));
    Path staging = modelsDir.resolve(name).resolve(".tmp-" + version + "-copy");
    try {
      Files.createDirectories(staging);
      try (Stream<Path> files = Files.walk(source)) {
        for (Path file : files.toList()) {
          Path copy = staging.resolve(source.relativize(file).toString());
          if (Files.isDirectory(file)) {
            Files.createDirectories(copy);
          } else {
            Files.copy(file, copy);
          }
        }
      }
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes a directory tree, ignoring what is already gone. */
  static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // Already gone, or being deleted by another thread.
    }
  }

  /** A logits bias per version: version {@code v} favours class {@code v % 7} strongly. */
  static float[] bias(long version) {
    float[] bias = {0.5f, -1f, 2f, 0f, 1.5f, -0.25f, 3f};
    bias[(int) (version % CLASSES)] += 6f;
    return bias;
  }

  /** Exports {@code versions} of model {@code name} under {@code modelsDir}. */
  static void export(Path modelsDir, String name, long... versions) {
    try (ServingFixture fixture = ServingFixture.create(DataFormat.CHANNELS_LAST)) {
      export(fixture, modelsDir, name, versions);
    }
  }

  private static void export(
      ServingFixture fixture, Path modelsDir, String name, long... versions) {
    SavedModelExporter exporter = SavedModelExporter.into(modelsDir, name).withLabels(LABELS);
    for (long version : versions) {
      if (!name.equals(NON_FINITE)) {
        fixture.setLogitsBias(bias(version));
      }
      exporter.export(fixture.session, fixture.serving, version);
    }
  }

  /** A config serving {@code modelsDir} on 127.0.0.1, any free port, scanning only at start. */
  static ServerConfig config(Path modelsDir) {
    return ServerConfig.defaults(modelsDir)
        .withAddress("127.0.0.1", 0)
        .withVersions(VersionPolicy.LATEST, 0)
        .withSession(SessionConfig.defaults(), 10_000);
  }

  /** One image {@code [32, 32, 3]} as nested JSON arrays. */
  static ArrayNode imageJson(float[] images, int index) {
    ArrayNode rows = JsonNodeFactory.instance.arrayNode();
    int offset = index * SIDE * SIDE * 3;
    for (int y = 0; y < SIDE; y++) {
      ArrayNode row = rows.addArray();
      for (int x = 0; x < SIDE; x++) {
        ArrayNode pixel = row.addArray();
        for (int c = 0; c < 3; c++) {
          pixel.add(images[offset++]);
        }
      }
    }
    return rows;
  }
}
