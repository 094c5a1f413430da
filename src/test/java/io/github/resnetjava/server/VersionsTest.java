package io.github.resnetjava.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.resnetjava.serving.Classifier;
import io.github.resnetjava.testing.ServingFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Versions: the highest is served by default and any served one by URL; a new version is picked up
 * by polling and swapped in with no failed request; a removed version is unloaded.
 */
class VersionsTest {
  @TempDir Path modelsDir;

  private static String body;

  /** Per version (1 to 3), the Classifier's probabilities for the test image. */
  private static final Map<Long, float[]> EXPECTED = new ConcurrentHashMap<>();

  @BeforeAll
  static void expectedAnswers() {
    float[] image = ServingFixture.images(1, 3);
    ObjectNode request = JsonNodeFactory.instance.objectNode();
    request.putArray("instances").add(ServedModels.imageJson(image, 0));
    body = request.toString();
    for (long version = 1; version <= 3; version++) {
      Path dir = ServedModels.template().resolve("resnet").resolve(Long.toString(version));
      try (Classifier classifier = Classifier.load(dir)) {
        EXPECTED.put(
            version,
            ModelServerTest.byClass(classifier.classify(image, 1, ServedModels.CLASSES))[0]);
      }
    }
  }

  /** The version whose expected answer {@code prediction} is, or -1. */
  private static long versionOf(JsonNode prediction) {
    float[] probabilities = ModelServerTest.floats(prediction.get("probabilities"));
    for (Map.Entry<Long, float[]> entry : EXPECTED.entrySet()) {
      boolean same = true;
      for (int c = 0; c < probabilities.length; c++) {
        same &= Math.abs(probabilities[c] - entry.getValue()[c]) <= 1e-5f;
      }
      if (same) {
        return entry.getKey();
      }
    }
    return -1;
  }

  private static long predictVersion(RestClient client, String path) {
    RestClient.Answer answer = client.post(path, body);
    assertEquals(200, answer.status(), answer.text());
    return versionOf(answer.json().at("/predictions/0"));
  }

  @Test
  void theHighestVersionByDefaultAnyVersionByUrlAndRemovedVersionsUnloaded() throws Exception {
    ServedModels.install(modelsDir, "resnet", 1);
    // TF Serving parses version names as integers: 002 is version 2.
    java.nio.file.Files.move(
        ServedModels.install(modelsDir, "resnet", 2), modelsDir.resolve("resnet/002"));
    ServerConfig config = ServedModels.config(modelsDir).withVersions(VersionPolicy.ALL, 0);
    try (ModelServer server = ModelServer.start(config, ModelEvents.none())) {
      RestClient client = new RestClient(server.baseUrl());
      assertTrue(EXPECTED.get(1L)[1] != EXPECTED.get(2L)[1], "versions must answer differently");
      assertEquals(2, predictVersion(client, "/v1/models/resnet:predict"));
      assertEquals(1, predictVersion(client, "/v1/models/resnet/versions/1:predict"));
      assertEquals(2, predictVersion(client, "/v1/models/resnet/versions/2:predict"));
      JsonNode status = client.get("/v1/models/resnet").json().get("model_version_status");
      assertEquals("2", status.get(0).get("version").textValue());
      assertEquals("1", status.get(1).get("version").textValue());

      ServedModels.deleteQuietly(modelsDir.resolve("resnet/002"));
      server.pollModels();
      assertEquals(Map.of("resnet", List.of(1L)), server.servedVersions());
      assertEquals(1, predictVersion(client, "/v1/models/resnet:predict"));
      assertEquals(404, client.post("/v1/models/resnet/versions/2:predict", body).status());
    }
  }

  @Test
  void aNewVersionIsSwappedInUnderLoadWithoutAFailedRequest() throws Exception {
    ServedModels.install(modelsDir, "resnet", 1);
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    ModelEvents recorder =
        new ModelEvents() {
          @Override
          public void loaded(String model, long version, Path dir) {
            events.add("loaded " + version);
          }

          @Override
          public void unloaded(String model, long version) {
            events.add("unloaded " + version);
          }

          @Override
          public void failed(String model, long version, Path dir, String problem) {
            events.add("failed " + version + ": " + problem);
          }
        };
    ServerConfig config = ServedModels.config(modelsDir).withVersions(VersionPolicy.LATEST, 1);
    try (ModelServer server = ModelServer.start(config, recorder)) {
      RestClient client = new RestClient(server.baseUrl());
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger failures = new AtomicInteger();
      List<List<Long>> seen = new ArrayList<>();
      ExecutorService load = Executors.newFixedThreadPool(3);
      List<Future<?>> clients = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        List<Long> versions = Collections.synchronizedList(new ArrayList<>());
        seen.add(versions);
        clients.add(
            load.submit(
                () -> {
                  while (!stop.get()) {
                    RestClient.Answer answer = client.post("/v1/models/resnet:predict", body);
                    if (answer.status() != 200) {
                      failures.incrementAndGet();
                    } else {
                      versions.add(versionOf(answer.json().at("/predictions/0")));
                    }
                  }
                }));
      }
      // Progress, not sleeps: on a loaded machine one request can take seconds.
      await(() -> seen.stream().allMatch(v -> v.contains(1L)), "every client answered by 1");
      ServedModels.install(modelsDir, "resnet", 2);
      awaitServed(server, 2);
      await(() -> seen.stream().allMatch(v -> v.contains(2L)), "every client answered by 2");
      ServedModels.deleteQuietly(modelsDir.resolve("resnet/1"));
      await(() -> events.contains("unloaded 1"), "version 1 unloaded");
      List<Integer> answeredAtUnload = seen.stream().map(List::size).toList();
      await(
          () -> {
            for (int t = 0; t < seen.size(); t++) {
              if (seen.get(t).size() < answeredAtUnload.get(t) + 2) {
                return false;
              }
            }
            return true;
          },
          "every client answered twice after the unload");
      stop.set(true);
      for (Future<?> c : clients) {
        c.get(60, TimeUnit.SECONDS);
      }
      load.shutdown();

      assertEquals(0, failures.get());
      for (List<Long> versions : seen) {
        assertTrue(versions.contains(1L) && versions.contains(2L), versions.toString());
        int firstTwo = versions.indexOf(2L);
        assertTrue(
            versions.subList(firstTwo, versions.size()).stream().allMatch(v -> v == 2L),
            "a thread saw version 1 after version 2: " + versions);
        assertTrue(
            versions.subList(0, firstTwo).stream().allMatch(v -> v == 1L), versions.toString());
      }
      assertEquals(List.of("loaded 1", "loaded 2", "unloaded 1"), events);
      assertEquals(Map.of("resnet", List.of(2L)), server.servedVersions());
    }
  }

  /** Waits up to 60 s for {@code condition}, failing with {@code what} if it never holds. */
  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "never happened: " + what);
      Thread.sleep(20);
    }
  }

  private static void awaitServed(ModelServer server, long version) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!server.servedVersions().getOrDefault("resnet", List.of()).contains(version)) {
      assertTrue(System.nanoTime() < deadline, "version " + version + " was never loaded");
      Thread.sleep(50);
    }
  }
}
