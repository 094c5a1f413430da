package io.github.resnetjava.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.resnetjava.testing.ServingFixture;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closing the server (what SIGTERM does in {@code resnet serve}) lets a request already running
 * finish with its answer, while requests arriving meanwhile get 503. The steps wait for the
 * server's state (the request in flight, close begun), never for a fixed time.
 */
class GracefulStopTest {
  @TempDir Path modelsDir;

  @Test
  void aRunningRequestFinishesAndNewOnesGet503WhileStopping() throws Exception {
    ServedModels.install(modelsDir, "resnet", 1);
    ServerConfig config = ServedModels.config(modelsDir).withLimits(1 << 20, 30_000, 0);
    ModelServer server = ModelServer.start(config, ModelEvents.none());
    RestClient client = new RestClient(server.baseUrl());
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.putArray("instances").add(ServedModels.imageJson(ServingFixture.images(1, 5), 0));
    byte[] json = body.toString().getBytes(StandardCharsets.UTF_8);

    try (Socket slow = new Socket("127.0.0.1", server.port())) {
      OutputStream out = slow.getOutputStream();
      out.write(
          ("POST /v1/models/resnet:predict HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  + "Content-Type: application/json\r\nContent-Length: "
                  + json.length
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(json, 0, json.length / 2);
      out.flush();
      // Wait (bounded) until the request is inside the server, reading its body; a fixed sleep
      // raced with a loaded machine that had not dispatched it yet.
      await(() -> server.requestsInFlight() == 1, "the slow request to enter the server");
      assertEquals(200, client.get("/v1/models/resnet").status());
      CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
      await(server::isStopping, "close() to begin");
      RestClient.Answer refused = client.post("/v1/models/resnet:predict", body);
      assertEquals(503, refused.status(), refused.text());
      assertTrue(refused.json().get("error").textValue().contains("shutting down"));
      assertEquals(1, server.requestsInFlight());
      assertFalse(closing.isDone(), "close() must wait for the running request");

      out.write(json, json.length / 2, json.length - json.length / 2);
      out.flush();
      String answer = new String(readAll(slow.getInputStream()), StandardCharsets.UTF_8);
      assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
      assertTrue(answer.contains("\"predictions\":[{\"classes\":"), answer);
      closing.get(30, TimeUnit.SECONDS);
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() - deadline < 0, "timed out waiting for " + what);
      Thread.sleep(5);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    return in.readAllBytes();
  }
}
