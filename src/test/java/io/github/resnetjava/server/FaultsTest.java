package io.github.resnetjava.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.resnetjava.export.SavedModelExporter;
import io.github.resnetjava.model.DataFormat;
import io.github.resnetjava.testing.ServingFixture;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults the server must survive and keep answering through: a client that sends its body byte by
 * byte, a model directory deleted while it is served, what an export killed half-way leaves on
 * disk, and a real exporter in another JVM killed with SIGKILL while it writes a version.
 */
class FaultsTest {
  @TempDir Path modelsDir;

  private static String body;

  @BeforeAll
  static void request() {
    ObjectNode request = JsonNodeFactory.instance.objectNode();
    request.putArray("instances").add(ServedModels.imageJson(ServingFixture.images(1, 8), 0));
    body = request.toString();
  }

  /** The same prediction as {@code before}, within ModelServerTest's tolerance. */
  private static void assertSameAnswer(String before, RestClient.Answer answer) {
    com.fasterxml.jackson.databind.JsonNode expected =
        new RestClient.Answer(200, "", before).json().at("/predictions/0");
    com.fasterxml.jackson.databind.JsonNode actual = answer.json().at("/predictions/0");
    assertEquals(expected.get("classes"), actual.get("classes"));
    ModelServerTest.assertProbabilities(
        ModelServerTest.floats(expected.get("probabilities")), actual.get("probabilities"));
  }

  @Test
  void aByteByByteClientTimesOutWithoutBlockingOthers() throws Exception {
    ServedModels.install(modelsDir, "resnet", 1);
    ServerConfig config = ServedModels.config(modelsDir).withLimits(1 << 20, 2_000, 1024);
    try (ModelServer server = ModelServer.start(config, ModelEvents.none());
        Socket slow = new Socket("127.0.0.1", server.port())) {
      RestClient client = new RestClient(server.baseUrl());
      slow.setSoTimeout(30_000);
      OutputStream out = slow.getOutputStream();
      out.write(
          ("POST /v1/models/resnet:predict HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  + "Content-Type: application/json\r\nContent-Length: "
                  + body.length()
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      CompletableFuture<Void> trickle =
          CompletableFuture.runAsync(
              () -> {
                try {
                  for (int i = 0; i < 100; i++) {
                    out.write(body.charAt(i));
                    out.flush();
                    Thread.sleep(100);
                  }
                } catch (IOException | InterruptedException e) {
                  // The server gave up on us: what the test expects.
                }
              });
      long fastStart = System.nanoTime();
      for (int i = 0; i < 3; i++) {
        assertEquals(200, client.post("/v1/models/resnet:predict", body).status());
      }
      long fastEnd = System.nanoTime();

      String answer = new String(slow.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      long slowEnd = System.nanoTime();
      assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 408"), answer);
      assertTrue(slowEnd > fastEnd, "the other requests finished while the slow one was open");
      assertTrue(
          TimeUnit.NANOSECONDS.toSeconds(slowEnd - fastStart) < 15,
          "the slow client must be cut off within seconds");
      trickle.get(30, TimeUnit.SECONDS);
      assertEquals(200, client.post("/v1/models/resnet:predict", body).status());
    }
  }

  @Test
  void aModelDirectoryDeletedWhileServedIsUnloadedAndTheOthersKeepAnswering() {
    ServedModels.install(modelsDir, "a", 1);
    ServedModels.install(modelsDir, "b", 1);
    try (ModelServer server =
        ModelServer.start(ServedModels.config(modelsDir), ModelEvents.none())) {
      RestClient client = new RestClient(server.baseUrl());
      String before = client.post("/v1/models/a:predict", body).text();

      ServedModels.deleteQuietly(modelsDir.resolve("a"));
      // Loaded models live in memory: until the next scan, "a" still answers, and the same.
      RestClient.Answer stillServed = client.post("/v1/models/a:predict", body);
      assertEquals(200, stillServed.status());
      assertSameAnswer(before, stillServed);

      server.pollModels();
      RestClient.Answer gone = client.post("/v1/models/a:predict", body);
      assertEquals(404, gone.status(), gone.text());
      RestClient.Answer other = client.post("/v1/models/b:predict", body);
      assertEquals(200, other.status());
      assertSameAnswer(before, other);
      assertEquals(Map.of("b", List.of(1L)), server.servedVersions());
    }
  }

  @Test
  void whatAKilledExportLeavesIsIgnoredOrReportedOnceAndServingGoesOn() throws IOException {
    ServedModels.install(modelsDir, "resnet", 1);
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    ModelEvents events =
        new ModelEvents() {
          @Override
          public void loaded(String model, long version, Path dir) {}

          @Override
          public void unloaded(String model, long version) {}

          @Override
          public void failed(String model, long version, Path dir, String problem) {
            failures.add(version + ": " + problem);
          }
        };
    try (ModelServer server = ModelServer.start(ServedModels.config(modelsDir), events)) {
      RestClient client = new RestClient(server.baseUrl());
      String before = client.post("/v1/models/resnet:predict", body).text();
      byte[] savedModel = Files.readAllBytes(modelsDir.resolve("resnet/1/saved_model.pb"));
      // The exporter killed before its rename: a hidden staging directory, never a version.
      Path staging = Files.createDirectories(modelsDir.resolve("resnet/.tmp-3-5eed"));
      Files.write(staging.resolve("saved_model.pb"), savedModel);
      // A copy by other means killed half-way: a version with a truncated SavedModel.
      Path truncated = Files.createDirectories(modelsDir.resolve("resnet/4"));
      Files.write(
          truncated.resolve("saved_model.pb"),
          java.util.Arrays.copyOf(savedModel, savedModel.length / 2));

      server.pollModels();
      server.pollModels();

      assertEquals(1, failures.size(), failures.toString());
      assertTrue(failures.get(0).startsWith("4: "), failures.toString());
      assertEquals(Map.of("resnet", List.of(1L)), server.servedVersions());
      RestClient.Answer after = client.post("/v1/models/resnet:predict", body);
      assertEquals(200, after.status());
      assertSameAnswer(before, after);
    }
  }

  @Test
  void anExportKilledWithSigkillMidWayLeavesServingIntact() throws Exception {
    ServedModels.install(modelsDir, "resnet", 1);
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    ModelEvents events =
        new ModelEvents() {
          @Override
          public void loaded(String model, long version, Path dir) {}

          @Override
          public void unloaded(String model, long version) {}

          @Override
          public void failed(String model, long version, Path dir, String problem) {
            failures.add(version + ": " + problem);
          }
        };
    Path modelDir = modelsDir.resolve("resnet");
    try (ModelServer server = ModelServer.start(ServedModels.config(modelsDir), events)) {
      RestClient client = new RestClient(server.baseUrl());
      String before = client.post("/v1/models/resnet:predict", body).text();
      // Requests all along: every version the child writes has version 1's weights, so every
      // answer must equal the first.
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger answered = new AtomicInteger();
      CompletableFuture<Void> requests =
          CompletableFuture.runAsync(
              () -> {
                while (!stop.get()) {
                  RestClient.Answer answer = client.post("/v1/models/resnet:predict", body);
                  assertEquals(200, answer.status(), answer.text());
                  assertSameAnswer(before, answer);
                  answered.incrementAndGet();
                }
              });

      // A real exporter in another JVM, killed (SIGKILL) while it is writing a version: once
      // it has finished one (which the server loads), as soon as the next staging directory
      // shows.
      Process child =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx256m",
                  "-cp",
                  System.getProperty("java.class.path"),
                  ExportLoopChild.class.getName(),
                  modelsDir.toString(),
                  "resnet")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      Path leftover;
      try {
        awaitPath(child, () -> Files.isDirectory(modelDir.resolve("2")) ? modelDir : null);
        server.pollModels();
        leftover = awaitPath(child, () -> staging(modelDir));
      } finally {
        child.destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the killed exporter did not exit");
      }

      server.pollModels();
      server.pollModels();
      long newest = completeVersions(modelDir).last();
      assertTrue(newest >= 2, "the child finished no version");
      assertEquals(Map.of("resnet", List.of(newest)), server.servedVersions());
      assertEquals(List.of(), failures, "the staging directory must be ignored, not reported");
      RestClient.Answer served = client.post("/v1/models/resnet:predict", body);
      assertEquals(200, served.status(), served.text());
      assertSameAnswer(before, served);

      // The next export (here, in this JVM) clears what the killed one left and is served.
      try (ServingFixture fixture = ServingFixture.create(DataFormat.CHANNELS_LAST)) {
        fixture.setLogitsBias(ServedModels.bias(1));
        SavedModelExporter.into(modelsDir, "resnet")
            .withLabels(ServedModels.LABELS)
            .export(fixture.session, fixture.serving, newest + 1);
      }
      assertTrue(
          staging(modelDir) == null,
          "the next export must delete the staging directory " + leftover);
      server.pollModels();
      assertEquals(Map.of("resnet", List.of(newest + 1)), server.servedVersions());
      stop.set(true);
      requests.get(60, TimeUnit.SECONDS);
      assertTrue(answered.get() > 0, "no request was answered during the kill");
      assertEquals(List.of(), failures);
    }
  }

  /** Waits (up to 60 s, and while the child lives) for {@code probe} to give a path. */
  private static Path awaitPath(Process child, Supplier<Path> probe) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() - deadline < 0) {
      Path found = probe.get();
      if (found != null) {
        return found;
      }
      if (!child.isAlive()) {
        throw new AssertionError("the exporter child exited with " + child.exitValue());
      }
      Thread.sleep(1);
    }
    throw new AssertionError("timed out waiting for the exporter child");
  }

  /** A {@code .tmp-*} staging directory of an unfinished export in {@code modelDir}, or null. */
  private static Path staging(Path modelDir) {
    try (Stream<Path> children = Files.list(modelDir)) {
      return children
          .filter(p -> p.getFileName().toString().startsWith(".tmp-"))
          .findFirst()
          .orElse(null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The numeric version directories of {@code modelDir}. */
  private static TreeSet<Long> completeVersions(Path modelDir) throws IOException {
    TreeSet<Long> versions = new TreeSet<>();
    try (Stream<Path> children = Files.list(modelDir)) {
      children
          .map(p -> p.getFileName().toString())
          .filter(n -> n.matches("[0-9]+"))
          .forEach(n -> versions.add(Long.parseLong(n)));
    }
    return versions;
  }
}
