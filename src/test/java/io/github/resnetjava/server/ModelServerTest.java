package io.github.resnetjava.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.resnetjava.serving.Classifier;
import io.github.resnetjava.serving.Prediction;
import io.github.resnetjava.testing.HostileImages;
import io.github.resnetjava.testing.ServingFixture;
import io.github.resnetjava.testing.TestImages;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST API as a TF Serving client sees it: status, metadata, row and columnar predict, b64
 * images, and every error code, over loopback with {@code java.net.http}; answers are compared with
 * {@link Classifier}'s on the same export.
 */
class ModelServerTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int BATCH = 3;

  @TempDir static Path modelsDir;

  private static float[] images;
  private static List<byte[]> files;
  private static float[][] expected;
  private static float[][] expectedFiles;
  private static ModelServer server;
  private static RestClient client;

  @BeforeAll
  static void serve() {
    ServedModels.install(modelsDir, "resnet", 1);
    ServedModels.installNonFinite(modelsDir);
    images = ServingFixture.images(BATCH, 31);
    files =
        List.of(
            TestImages.encode(TestImages.pattern(53, 37, BufferedImage.TYPE_INT_RGB, 1), "png"),
            TestImages.encode(TestImages.pattern(61, 90, BufferedImage.TYPE_INT_RGB, 2), "jpg"));
    try (Classifier classifier = Classifier.load(modelsDir.resolve("resnet"))) {
      expected = byClass(classifier.classify(images, BATCH, ServedModels.CLASSES));
      expectedFiles = byClass(classifier.classifyEncoded(files, ServedModels.CLASSES));
    }
    server =
        ModelServer.start(
            ServedModels.config(modelsDir).withLimits(1 << 20, 30_000, 1024), ModelEvents.none());
    client = new RestClient(server.baseUrl());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Probabilities indexed by class, from top-k lists holding every class. */
  static float[][] byClass(List<List<Prediction>> predictions) {
    float[][] probabilities = new float[predictions.size()][ServedModels.CLASSES];
    for (int i = 0; i < predictions.size(); i++) {
      for (Prediction p : predictions.get(i)) {
        probabilities[i][p.classIndex()] = p.probability();
      }
    }
    return probabilities;
  }

  static float[] floats(JsonNode array) {
    float[] values = new float[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).floatValue();
    }
    return values;
  }

  static int argmax(float[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      best = values[i] > values[best] ? i : best;
    }
    return best;
  }

  /** One prediction object: classes, the exact probabilities, logits whose softmax they are. */
  private static void assertPrediction(float[] expectedProbabilities, JsonNode prediction) {
    assertEquals(List.of("classes", "logits", "probabilities"), fieldNames(prediction));
    assertProbabilities(expectedProbabilities, prediction.get("probabilities"));
    assertEquals(argmax(expectedProbabilities), prediction.get("classes").intValue());
    assertTrue(prediction.get("classes").isIntegralNumber());
    float[] logits = floats(prediction.get("logits"));
    double sum = 0;
    for (float logit : logits) {
      sum += Math.exp(logit);
    }
    for (int c = 0; c < logits.length; c++) {
      assertEquals(expectedProbabilities[c], Math.exp(logits[c]) / sum, 1e-5);
    }
  }

  /**
   * Equal to the Classifier's within 1e-5, the tolerance ClassifierTest allows between two sessions
   * on one export (oneDNN may order a reduction differently from run to run).
   */
  static void assertProbabilities(float[] expectedProbabilities, JsonNode actual) {
    org.junit.jupiter.api.Assertions.assertArrayEquals(
        expectedProbabilities, floats(actual), 1e-5f);
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    Iterator<String> it = node.fieldNames();
    it.forEachRemaining(names::add);
    return names;
  }

  private static ObjectNode rowRequest(int... indices) {
    ObjectNode body = NODES.objectNode();
    ArrayNode instances = body.putArray("instances");
    for (int i : indices) {
      instances.add(ServedModels.imageJson(images, i));
    }
    return body;
  }

  private static void assertError(int status, String fragment, RestClient.Answer answer) {
    assertEquals(status, answer.status(), answer.text());
    assertTrue(answer.contentType().startsWith("application/json"), answer.contentType());
    JsonNode body = answer.json();
    assertEquals(List.of("error"), fieldNames(body), answer.text());
    String message = body.get("error").textValue();
    assertTrue(message.contains(fragment), "expected '" + fragment + "' in: " + message);
    assertFalse(message.contains("\tat ") || message.contains("Exception:"), message);
  }

  @Test
  void statusListsTheServedVersionAsTfServingPrintsIt() {
    String expectedStatus =
        "{\"model_version_status\":[{\"version\":\"1\",\"state\":\"AVAILABLE\","
            + "\"status\":{\"error_code\":\"OK\",\"error_message\":\"\"}}]}";
    RestClient.Answer answer = client.get("/v1/models/resnet");
    assertEquals(200, answer.status());
    assertEquals("application/json", answer.contentType());
    assertEquals(expectedStatus, answer.text());
    assertEquals(expectedStatus, client.get("/v1/models/resnet/versions/1").text());
  }

  @Test
  void metadataGivesBothSignaturesWithDtypesShapesAndTensorNames() {
    JsonNode metadata = client.get("/v1/models/resnet/metadata").json();
    assertEquals("resnet", metadata.at("/model_spec/name").textValue());
    assertEquals("1", metadata.at("/model_spec/version").textValue());
    JsonNode defs = metadata.at("/metadata/signature_def/signature_def");
    JsonNode input = defs.at("/serving_default/inputs/input");
    assertEquals("DT_FLOAT", input.get("dtype").textValue());
    assertEquals(
        "[{\"size\":\"-1\",\"name\":\"\"},{\"size\":\"32\",\"name\":\"\"},"
            + "{\"size\":\"32\",\"name\":\"\"},{\"size\":\"3\",\"name\":\"\"}]",
        input.at("/tensor_shape/dim").toString());
    assertFalse(input.at("/tensor_shape/unknown_rank").booleanValue());
    assertTrue(input.get("name").textValue().endsWith(":0"), input.toString());
    assertEquals("DT_INT64", defs.at("/serving_default/outputs/classes/dtype").textValue());
    assertEquals("DT_FLOAT", defs.at("/serving_default/outputs/probabilities/dtype").textValue());
    assertEquals(
        "7", defs.at("/serving_default/outputs/logits/tensor_shape/dim/1/size").textValue());
    assertEquals("DT_STRING", defs.at("/image_bytes/inputs/image_bytes/dtype").textValue());
    assertEquals("tensorflow/serving/predict", defs.at("/image_bytes/method_name").textValue());
    assertEquals(metadata, client.get("/v1/models/resnet/versions/1/metadata").json());
  }

  @Test
  void rowFormatPredictionsEqualTheClassifiers() {
    RestClient.Answer answer = client.post("/v1/models/resnet:predict", rowRequest(0, 1, 2));
    assertEquals(200, answer.status(), answer.text());
    JsonNode predictions = answer.json().get("predictions");
    assertEquals(BATCH, predictions.size());
    for (int i = 0; i < BATCH; i++) {
      assertPrediction(expected[i], predictions.get(i));
    }
  }

  @Test
  void namedInstancesAndAVersionUrlGiveTheSameAnswers() {
    ObjectNode body = NODES.objectNode();
    body.put("signature_name", "serving_default");
    body.putArray("instances").addObject().set("input", ServedModels.imageJson(images, 1));
    JsonNode predictions =
        client.post("/v1/models/resnet/versions/1:predict", body).json().get("predictions");
    assertEquals(1, predictions.size());
    assertPrediction(expected[1], predictions.get(0));
  }

  @Test
  void columnarInputsGiveWholeOutputTensors() {
    ObjectNode body = NODES.objectNode();
    ArrayNode batch = body.putArray("inputs");
    batch.add(ServedModels.imageJson(images, 2));
    batch.add(ServedModels.imageJson(images, 0));
    RestClient.Answer answer = client.post("/v1/models/resnet:predict", body);
    assertEquals(200, answer.status(), answer.text());
    JsonNode outputs = answer.json().get("outputs");
    assertEquals(List.of("classes", "logits", "probabilities"), fieldNames(outputs));
    assertEquals(2, outputs.get("classes").size());
    assertProbabilities(expected[2], outputs.get("probabilities").get(0));
    assertProbabilities(expected[0], outputs.get("probabilities").get(1));
    assertEquals(argmax(expected[0]), outputs.get("classes").get(1).intValue());
  }

  @Test
  void b64ImageBytesGoThroughTheImageBytesSignature() {
    ObjectNode body = NODES.objectNode();
    body.put("signature_name", "image_bytes");
    ArrayNode instances = body.putArray("instances");
    for (byte[] file : files) {
      instances.addObject().put("b64", Base64.getEncoder().encodeToString(file));
    }
    RestClient.Answer answer = client.post("/v1/models/resnet:predict", body);
    assertEquals(200, answer.status(), answer.text());
    JsonNode predictions = answer.json().get("predictions");
    for (int i = 0; i < files.size(); i++) {
      assertPrediction(expectedFiles[i], predictions.get(i));
    }
  }

  @Test
  void malformedRequestsGet400NamingTheProblem() {
    String predict = "/v1/models/resnet:predict";
    assertError(400, "JSON Parse error", client.post(predict, "{\"instances\": [1, 2"));
    assertError(400, "Missing 'inputs' or 'instances'", client.post(predict, "{\"foo\": 1}"));
    assertError(400, "only one of", client.post(predict, "{\"instances\": [1], \"inputs\": [1]}"));
    assertError(400, "non-empty", client.post(predict, "{\"instances\": []}"));
    assertError(400, "request body is empty", client.post(predict, ""));

    float[] small = new float[16 * 16 * 3];
    ObjectNode wrongShape = NODES.objectNode();
    ArrayNode smallImage = wrongShape.putArray("instances").addArray();
    for (int y = 0; y < 16; y++) {
      ArrayNode row = smallImage.addArray();
      for (int x = 0; x < 16; x++) {
        row.addArray().add(small[0]).add(small[1]).add(small[2]);
      }
    }
    assertError(400, "must have shape [-1, 32, 32, 3]", client.post(predict, wrongShape));

    ObjectNode wrongType = rowRequest(0);
    ((ArrayNode) wrongType.at("/instances/0/0/0")).set(1, NODES.textNode("red"));
    assertError(400, "is not of expected type: float", client.post(predict, wrongType));

    ObjectNode ragged = rowRequest(0, 1);
    ((ArrayNode) ragged.at("/instances/1")).remove(31);
    assertError(
        400, "Expecting shape [32, 32, 3] but got [31, 32, 3]", client.post(predict, ragged));

    String corruptB64 =
        "{\"signature_name\":\"image_bytes\",\"instances\":[{\"b64\":\"@@not base64@@\"}]}";
    assertError(400, "Unable to base64 decode", client.post(predict, corruptB64));

    String notAnImage =
        "{\"signature_name\":\"image_bytes\",\"instances\":[{\"b64\":\""
            + Base64.getEncoder().encodeToString("not an image".getBytes(StandardCharsets.UTF_8))
            + "\"}]}";
    assertError(400, "is not a JPEG, PNG, GIF or BMP file", client.post(predict, notAnImage));
    String truncatedPng =
        "{\"signature_name\":\"image_bytes\",\"instances\":[{\"b64\":\""
            + Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(files.get(0), 60))
            + "\"}]}";
    assertError(400, "TensorFlow rejected the input", client.post(predict, truncatedPng));
    // A decompression bomb is refused from its header, before TensorFlow decodes it.
    String bomb =
        "{\"signature_name\":\"image_bytes\",\"instances\":[{\"b64\":\""
            + Base64.getEncoder().encodeToString(HostileImages.pngBomb(50_000, 50_000))
            + "\"}]}";
    assertError(400, "50000 x 50000", client.post(predict, bomb));
    assertError(
        400, "Unrecognized servable version label", client.get("/v1/models/resnet/labels/stable"));
    assertError(400, "Missing model name", client.get("/v1/models"));
  }

  @Test
  void nonFiniteFloatsAreWrittenAsTfServingsBareTokens() throws Exception {
    // TF Serving's RapidJSON writer (kWriteNanAndInfFlag) writes NaN, Infinity, -Infinity.
    ArrayNode values =
        NODES
            .arrayNode()
            .add(Float.NaN)
            .add(Float.POSITIVE_INFINITY)
            .add(Float.NEGATIVE_INFINITY)
            .add(1.5f);
    assertEquals(
        "[NaN,Infinity,-Infinity,1.5]", ModelServer.jsonMapper(1 << 20).writeValueAsString(values));
  }

  @Test
  void nonFiniteOutputsAreAnsweredAsBareTokens() throws Exception {
    RestClient.Answer answer =
        client.post("/v1/models/" + ServedModels.NON_FINITE + ":predict", rowRequest(0));
    assertEquals(200, answer.status(), answer.text());
    assertTrue(
        answer.text().matches(".*\"logits\":\\[[^\\]]*,NaN,Infinity,-Infinity,.*"), answer.text());
    assertFalse(answer.text().contains("\"NaN\""), answer.text());
    JsonNode prediction =
        ModelServer.jsonMapper(1 << 20).readTree(answer.text()).at("/predictions/0");
    float[] logits = floats(prediction.get("logits"));
    assertTrue(Float.isNaN(logits[1]), prediction.toString());
    assertEquals(Float.POSITIVE_INFINITY, logits[2]);
    assertEquals(Float.NEGATIVE_INFINITY, logits[3]);
    // A softmax over a NaN logit is NaN for that class at least.
    assertTrue(Float.isNaN(floats(prediction.get("probabilities"))[1]), prediction.toString());
  }

  @Test
  void unknownModelsVersionsAndSignaturesGet404() {
    assertError(
        404,
        "Servable not found for request: Latest(nope)",
        client.post("/v1/models/nope:predict", rowRequest(0)));
    assertError(404, "Could not find any versions of model nope", client.get("/v1/models/nope"));
    assertError(404, "Specific(resnet, 7)", client.get("/v1/models/resnet/versions/7"));
    assertError(
        404,
        "Specific(resnet, 7)",
        client.post("/v1/models/resnet/versions/7:predict", rowRequest(0)));
    ObjectNode body = rowRequest(0);
    body.put("signature_name", "nope");
    assertError(
        404,
        "Serving signature name: \"nope\" not found",
        client.post("/v1/models/resnet:predict", body));
    assertError(404, "Malformed request", client.get("/v2/health/ready"));
  }

  @Test
  void aBodyOverTheLimitGets413() {
    String huge = "{\"instances\": [" + "0.5,".repeat(400_000) + "0.5]}";
    // Repeated: a server that answered before reading the body lost the answer now and then (the
    // client saw its connection reset instead of the 413).
    for (int attempt = 0; attempt < 20; attempt++) {
      assertError(
          413,
          "exceeds the server's limit of 1048576 bytes",
          client.post("/v1/models/resnet:predict", huge));
    }
    // The server keeps answering.
    assertEquals(200, client.get("/v1/models/resnet").status());
  }

  @Test
  void prometheusMetricsCountRequestsByModelAndStatus() {
    client.post("/v1/models/resnet:predict", rowRequest(0));
    client.post("/v1/models/absent:predict", rowRequest(0));
    RestClient.Answer answer = client.get(ModelServer.METRICS_PATH);
    assertEquals(200, answer.status());
    assertTrue(answer.contentType().startsWith("text/plain"), answer.contentType());
    String text = answer.text();
    assertTrue(
        text.contains(
            ":tensorflow:serving:request_count_total{model_name=\"resnet\",status=\"OK\"}"),
        text);
    assertTrue(
        text.contains(
            ":tensorflow:serving:request_count_total{model_name=\"absent\",status=\"NOT_FOUND\"} 1.0"),
        text);
    assertTrue(
        text.contains(
            ":tensorflow:serving:request_latency_seconds_bucket{API=\"predict\",model_name=\"resnet\""),
        text);
    assertTrue(
        text.contains(":tensorflow:serving:loaded_versions{model_name=\"resnet\"} 1.0"), text);
  }
}
