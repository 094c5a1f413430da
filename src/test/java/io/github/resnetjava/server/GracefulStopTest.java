package io.github.resnetjava.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closing the server (what SIGTERM does in {@code resnet serve}) lets a request already running
 * finish with its answer, while requests arriving meanwhile get 503.
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
      out.write(("POST /v1/models/resnet:predict HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Content-Type: application/json\r\nContent-Length: " + json.length
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(json, 0, json.length / 2);
      out.flush();
      // The request is now inside the server, reading its body.
      assertEquals(200, client.get("/v1/models/resnet").status());
      Thread.sleep(300);
      CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
      Thread.sleep(300);
      assertTrue(!closing.isDone(), "close() must wait for the running request");
      RestClient.Answer refused = client.post("/v1/models/resnet:predict", body);
      assertEquals(503, refused.status(), refused.text());
      assertTrue(refused.json().get("error").textValue().contains("shutting down"));

      out.write(json, json.length / 2, json.length - json.length / 2);
      out.flush();
      String answer = new String(readAll(slow.getInputStream()), StandardCharsets.UTF_8);
      assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
      assertTrue(answer.contains("\"predictions\":[{\"classes\":"), answer);
      closing.get(30, TimeUnit.SECONDS);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    return in.readAllBytes();
  }
}
