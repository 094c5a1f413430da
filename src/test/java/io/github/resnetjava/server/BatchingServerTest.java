package io.github.resnetjava.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.resnetjava.testing.ServingFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dynamic batching over HTTP: 8 client threads x 50 single-image requests to a batching server get
 * the answers one unbatched server gives the same images one at a time, and the server really
 * merged requests into larger session runs; an unbatched server that lets one request run at a time
 * (the others wait their turn) gives the same answers too.
 */
class BatchingServerTest {
  private static final int IMAGES = 8;
  private static final int THREADS = 8;
  private static final int REQUESTS = 50;

  @TempDir Path modelsDir;

  @Test
  void eightThreadsOfFiftyRequestsGetTheSerialUnbatchedAnswers() throws Exception {
    ServedModels.install(modelsDir, "resnet", 1);
    List<String> bodies = bodies();
    List<JsonNode> serial = serialAnswers(bodies);

    BatchingParameters parameters = new BatchingParameters(8, 2_000, 100, 2);
    try (ModelServer batching =
        ModelServer.start(
            ServedModels.config(modelsDir).withBatching(parameters), ModelEvents.none())) {
      RestClient client = new RestClient(batching.baseUrl());
      assertThreadsGetSerialAnswers(client, bodies, serial);

      String metrics = client.get(ModelServer.METRICS_PATH).text();
      double runs = metric(metrics, "processed_batch_size_count");
      double rows = metric(metrics, "processed_batch_size_sum");
      assertEquals(THREADS * REQUESTS, rows, 0.0, metrics);
      assertTrue(runs < rows, "no two requests were merged: " + runs + " runs for " + rows);
    }
  }

  @Test
  void unbatchedRequestsTakingTurnsForOneRunGetTheSerialAnswers() throws Exception {
    ServedModels.install(modelsDir, "resnet", 1);
    List<String> bodies = bodies();
    List<JsonNode> serial = serialAnswers(bodies);

    // One run at a time: the other seven threads' requests wait (the queue holds them all).
    try (ModelServer oneAtATime =
        ModelServer.start(
            ServedModels.config(modelsDir).withRunLimits(1, THREADS), ModelEvents.none())) {
      RestClient client = new RestClient(oneAtATime.baseUrl());
      assertThreadsGetSerialAnswers(client, bodies, serial);
      String metrics = client.get(ModelServer.METRICS_PATH).text();
      assertEquals(
          THREADS * REQUESTS,
          metric(metrics, "request_count_total{model_name=\"resnet\",status=\"OK\"}"),
          0.0,
          metrics);
    }
  }

  /** One row-format request body per image. */
  private static List<String> bodies() {
    float[] images = ServingFixture.images(IMAGES, 77);
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < IMAGES; i++) {
      ObjectNode body = JsonNodeFactory.instance.objectNode();
      body.putArray("instances").add(ServedModels.imageJson(images, i));
      bodies.add(body.toString());
    }
    return bodies;
  }

  /** The predictions a default (unbatched) server gives the bodies sent one at a time. */
  private List<JsonNode> serialAnswers(List<String> bodies) throws Exception {
    List<JsonNode> serial = new ArrayList<>();
    try (ModelServer plain =
        ModelServer.start(ServedModels.config(modelsDir), ModelEvents.none())) {
      RestClient client = new RestClient(plain.baseUrl());
      for (String body : bodies) {
        RestClient.Answer answer = client.post("/v1/models/resnet:predict", body);
        assertEquals(200, answer.status(), answer.text());
        serial.add(answer.json().at("/predictions/0"));
      }
    }
    return serial;
  }

  /** {@value #THREADS} threads x {@value #REQUESTS} requests, each answered as serially. */
  private static void assertThreadsGetSerialAnswers(
      RestClient client, List<String> bodies, List<JsonNode> serial) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<Void>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        done.add(
            threads.submit(
                () -> {
                  for (int r = 0; r < REQUESTS; r++) {
                    int image = (thread + r) % IMAGES;
                    RestClient.Answer answer =
                        client.post("/v1/models/resnet:predict", bodies.get(image));
                    assertEquals(200, answer.status(), answer.text());
                    JsonNode prediction = answer.json().at("/predictions/0");
                    assertEquals(serial.get(image).get("classes"), prediction.get("classes"));
                    ModelServerTest.assertProbabilities(
                        ModelServerTest.floats(serial.get(image).get("probabilities")),
                        prediction.get("probabilities"));
                  }
                  return null;
                }));
      }
      for (Future<Void> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
  }

  private static double metric(String text, String suffix) {
    Matcher m = Pattern.compile("(?m)^\\S*" + Pattern.quote(suffix) + " (\\S+)$").matcher(text);
    assertTrue(m.find(), suffix + " missing in " + text);
    return Double.parseDouble(m.group(1));
  }
}
