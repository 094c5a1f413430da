package io.github.resnetjava.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model server that TF Serving's REST clients can talk to unchanged: every model under a models
 * directory ({@link ModelManager}), answered over HTTP (Javalin on Jetty) as TF Serving's {@code
 * api_rest.md} defines, with optional dynamic batching ({@link BatchScheduler}) and Prometheus
 * metrics at {@value #METRICS_PATH}. Requests that batching does not merge run at most {@link
 * ServerConfig#maxConcurrentRuns()} at a time ({@link RunLimiter}). While requests come in, the
 * memory TensorFlow has freed is given back to the operating system every second ({@link
 * NativeHeapTrimmer}), so that the RSS does not creep up.
 *
 * <p>Every error is {@code {"error": "<message>"}} with TF Serving's HTTP status for its code
 * ({@link ServingException.Code}); a bad request never gets a 500 or a stack trace.
 *
 * <p>{@link #close()} stops gracefully: new requests get 503, running ones finish (up to {@link
 * ServerConfig#shutdownGraceMillis()}), then the HTTP server, the batch threads and the models
 * stop.
 */
public final class ModelServer implements AutoCloseable {
  /** TF Serving's Prometheus path ({@code util/prometheus_exporter.cc}). */
  public static final String METRICS_PATH = "/monitoring/prometheus/metrics";

  private static final Logger LOG = LoggerFactory.getLogger(ModelServer.class);
  private static final String JSON = "application/json";

  /** How often the native heap is trimmed while requests come in ({@link NativeHeapTrimmer}). */
  private static final long TRIM_INTERVAL_MILLIS = 1000;

  /** The most of a refused oversize body read and discarded so that the client gets its 413. */
  static final long REJECTED_BODY_DRAIN_BYTES = 64L * 1024 * 1024;

  private final ServerConfig config;
  private final ModelManager models;
  private final BatchScheduler<BatchKey> scheduler;
  private final RunLimiter runs;
  private final NativeHeapTrimmer trimmer;
  private final ServerMetrics metrics;
  private final ObjectMapper mapper;
  private final Javalin http;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean draining;
  private boolean closed;

  /** Merged requests share a model version and a signature. */
  private record BatchKey(ServedVersion version, SignatureSpec signature) {}

  private ModelServer(ServerConfig config, ModelEvents events) {
    this.config = config;
    this.models =
        new ModelManager(
            config.modelsDir(), config.versionPolicy(), config.sessionConfig(), events);
    this.runs = new RunLimiter(config.maxConcurrentRuns(), config.maxQueuedRuns());
    this.trimmer = new NativeHeapTrimmer(TRIM_INTERVAL_MILLIS);
    this.metrics = new ServerMetrics(this::queuedTasks, models);
    this.scheduler =
        config.batching() == null
            ? null
            : new BatchScheduler<>(
                config.batching(),
                (key, inputs) -> key.version().run(key.signature(), inputs),
                metrics::batch);
    this.mapper = jsonMapper(config.maxRequestBytes());
    this.http =
        Javalin.create(
            javalin -> {
              javalin.showJavalinBanner = false;
              javalin.http.maxRequestSize = config.maxRequestBytes();
              javalin.jetty.modifyHttpConfiguration(
                  http -> {
                    http.setSendServerVersion(false);
                    http.setMinRequestDataRate(config.minRequestBytesPerSecond());
                  });
              javalin.jetty.addConnector(
                  (server, httpConfig) -> {
                    ServerConnector connector =
                        new ServerConnector(server, new HttpConnectionFactory(httpConfig));
                    connector.setHost(config.host());
                    connector.setPort(config.restPort());
                    connector.setIdleTimeout(config.idleTimeoutMillis());
                    return connector;
                  });
            });
    http.get("/*", ctx -> handle(ctx, false));
    http.post("/*", ctx -> handle(ctx, true));
  }

  /**
   * The JSON reader and writer of requests and answers. Non-finite floats go both ways as TF
   * Serving's RapidJSON writes them ({@code kWriteNanAndInfFlag}): the bare tokens {@code NaN},
   * {@code Infinity} and {@code -Infinity}, not quoted strings (Jackson's default); Python's {@code
   * json} module reads and writes the same tokens.
   *
   * @param maxRequestBytes the longest string a request may hold
   */
  static ObjectMapper jsonMapper(long maxRequestBytes) {
    ObjectMapper json =
        JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    json.getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxStringLength(Math.toIntExact(maxRequestBytes))
                .build());
    return json;
  }

  /**
   * Loads every model under {@link ServerConfig#modelsDir()}, starts polling it and starts
   * answering on {@link ServerConfig#host()}:{@link ServerConfig#restPort()}.
   *
   * @param events told about every version loaded, unloaded or failed
   */
  public static ModelServer start(ServerConfig config, ModelEvents events) {
    ModelServer server = new ModelServer(config, events);
    try {
      server.models.start(config.pollSeconds());
      server.http.start();
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** The port the server listens on (the actual one when {@link ServerConfig#restPort()} is 0). */
  public int port() {
    return http.port();
  }

  /** {@code http://host:port}. */
  public String baseUrl() {
    return "http://" + config.host() + ":" + port();
  }

  /** The versions served now, as {@code model -> [versions]}. */
  public Map<String, List<Long>> servedVersions() {
    Map<String, List<Long>> served = new java.util.TreeMap<>();
    models.forEachModel(
        (name, count) -> served.put(name, new ArrayList<>(models.versions(name).keySet())));
    return Collections.unmodifiableMap(served);
  }

  /** Scans the models directory now instead of at the next poll. */
  public void pollModels() {
    models.poll();
  }

  /** Stops gracefully (see the class comment); idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    draining = true;
    long deadline = System.nanoTime() + config.shutdownGraceMillis() * 1_000_000L;
    while (inFlight.get() > 0 && System.nanoTime() - deadline < 0) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    http.stop();
    if (scheduler != null) {
      scheduler.close();
    }
    models.close();
    trimmer.close();
  }

  private void handle(Context ctx, boolean post) {
    long start = System.nanoTime();
    if (!enter()) {
      error(
          ctx,
          new ServingException(
              ServingException.Code.UNAVAILABLE,
              "The server is shutting down and takes no new requests"));
      return;
    }
    Answer answer = null;
    String model = "";
    String api = "unknown";
    try {
      if (!post && ctx.path().equals(METRICS_PATH)) {
        api = "metrics";
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        metrics.write(text);
        answer = new Answer(null, metrics.contentType(), text.toByteArray());
        return;
      }
      RestRoute route = RestRoute.parse(post ? "POST" : "GET", ctx.path());
      model = route.model();
      api = route.action();
      if (route.label() != null) {
        if (route.version() != null) {
          throw ServingException.invalid("A request may name a version or a label, not both");
        }
        throw ServingException.invalid(
            "Unrecognized servable version label: "
                + route.label()
                + " (this server defines no labels; use /versions/{v})");
      }
      JsonNode body =
          switch (route.action()) {
            case "status" -> status(route);
            case "metadata" -> withVersion(route, ModelInfoJson::metadata);
            case "predict" -> predict(route, readJson(ctx));
            default ->
                throw ServingException.invalid(
                    "Model '"
                        + route.model()
                        + "' has only"
                        + " predict signatures (method tensorflow/serving/predict): use :predict, not :"
                        + route.action());
          };
      answer = new Answer(null, JSON, mapper.writeValueAsBytes(body));
    } catch (ServingException e) {
      answer = errorAnswer(e);
    } catch (IOException | RuntimeException e) {
      LOG.error("Request {} {} failed", ctx.method(), ctx.path(), e);
      answer =
          errorAnswer(new ServingException(ServingException.Code.INTERNAL, "Internal error: " + e));
    } finally {
      // Counted before the client can see the answer, and in flight until it is written.
      if (answer == null) { // an Error, on its way up
        answer =
            errorAnswer(
                new ServingException(
                    ServingException.Code.INTERNAL, "Internal error; see the server's log"));
      }
      ServingException.Code code = answer.code();
      metrics.request(model, api, code == null ? "OK" : code.name(), System.nanoTime() - start);
      respond(ctx, code == null ? 200 : code.httpStatus(), answer.contentType(), answer.body());
      inFlight.decrementAndGet();
      trimmer.served();
    }
  }

  /** A response to write: {@code code} null for 200. */
  private record Answer(ServingException.Code code, String contentType, byte[] body) {}

  private int queuedTasks() {
    return runs.waiting() + (scheduler == null ? 0 : scheduler.queuedTasks());
  }

  private boolean enter() {
    inFlight.incrementAndGet();
    if (draining) {
      inFlight.decrementAndGet();
      return false;
    }
    return true;
  }

  private JsonNode status(RestRoute route) {
    if (route.version() != null) {
      return withVersion(route, version -> ModelInfoJson.status(List.of(version)));
    }
    var versions = models.versions(route.model());
    if (versions.isEmpty()) {
      throw ServingException.notFound("Could not find any versions of model " + route.model());
    }
    return ModelInfoJson.status(versions.descendingMap().values());
  }

  private JsonNode withVersion(
      RestRoute route, java.util.function.Function<ServedVersion, JsonNode> answer) {
    ServedVersion version = models.acquire(route.model(), route.version());
    try {
      return answer.apply(version);
    } finally {
      version.release();
    }
  }

  private JsonNode predict(RestRoute route, JsonNode body) {
    ServedVersion version = models.acquire(route.model(), route.version());
    try {
      PredictRequest request = PredictRequest.parse(body, version::signature);
      Map<String, HostTensor> inputs = version.admit(request.signature(), request.inputs());
      boolean batchable =
          scheduler != null && inputs.values().stream().allMatch(input -> input.rank() > 0);
      Map<String, HostTensor> outputs =
          batchable
              ? await(
                  scheduler.submit(
                      new BatchKey(version, request.signature()), inputs, request.rows()))
              : runs.run(() -> version.run(request.signature(), inputs));
      return request.response(outputs);
    } finally {
      version.release();
    }
  }

  private static Map<String, HostTensor> await(
      java.util.concurrent.CompletableFuture<Map<String, HostTensor>> result) {
    try {
      return result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServingException(
          ServingException.Code.UNAVAILABLE,
          "Interrupted while waiting" + " for the batch; the server is stopping");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw new ServingException(ServingException.Code.INTERNAL, "Batch failed: " + e.getCause());
    }
  }

  /** The body as JSON, read up to the size limit. */
  private JsonNode readJson(Context ctx) {
    long limit = config.maxRequestBytes();
    long declared = ctx.req().getContentLengthLong();
    if (declared > limit) {
      drainRejectedBody(ctx);
      throw tooLarge(declared + " bytes");
    }
    byte[] body;
    try {
      body = ctx.req().getInputStream().readNBytes(Math.toIntExact(limit + 1));
    } catch (IOException | RuntimeException e) {
      // Jetty's minimum data rate and idle timeout end a body that arrives too slowly.
      throw new ServingException(
          ServingException.Code.REQUEST_TIMEOUT,
          "The request body could not be read: " + e.getMessage());
    }
    if (body.length > limit) {
      drainRejectedBody(ctx);
      throw tooLarge("more than " + limit + " bytes");
    }
    if (body.length == 0) {
      throw ServingException.invalid(
          "The request body is empty: send a JSON object such as" + " {\"instances\": [...]}");
    }
    try {
      return mapper.readTree(body);
    } catch (JsonProcessingException e) {
      throw ServingException.invalid("JSON Parse error: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ServingException.invalid("JSON Parse error: " + e.getMessage());
    }
  }

  /**
   * Reads and discards up to {@value #REJECTED_BODY_DRAIN_BYTES} bytes of a body that is refused
   * for its size, as nginx's lingering close does: a server that answers 413 and closes while the
   * client is still sending makes the client's TCP stack discard the answer (the client sees a
   * reset instead of the 413). Bodies beyond the bound are cut off; read errors are ignored (the
   * answer is 413 either way).
   */
  private static void drainRejectedBody(Context ctx) {
    try {
      InputStream in = ctx.req().getInputStream();
      byte[] sink = new byte[64 * 1024];
      long left = REJECTED_BODY_DRAIN_BYTES;
      int read;
      while (left > 0 && (read = in.read(sink, 0, (int) Math.min(sink.length, left))) >= 0) {
        left -= read;
      }
    } catch (IOException | RuntimeException e) {
      // Closed, timed out or reset: nothing more to read.
    }
  }

  private ServingException tooLarge(String size) {
    return new ServingException(
        ServingException.Code.PAYLOAD_TOO_LARGE,
        "The request body ("
            + size
            + ") exceeds the server's limit of "
            + config.maxRequestBytes()
            + " bytes (--max-request-bytes); send fewer instances per request or encoded images"
            + " ({\"b64\": ...}) instead of pixel arrays");
  }

  private void error(Context ctx, ServingException e) {
    Answer answer = errorAnswer(e);
    respond(ctx, e.code().httpStatus(), answer.contentType(), answer.body());
  }

  private Answer errorAnswer(ServingException e) {
    try {
      return new Answer(
          e.code(),
          JSON,
          mapper.writeValueAsBytes(
              JsonNodeFactory.instance.objectNode().put("error", e.getMessage())));
    } catch (JsonProcessingException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  /**
   * Writes and flushes the answer now, not after the handler returns as {@code ctx.result} would: a
   * request leaves {@link #inFlight} only once its answer is on the wire, so {@link #close()}
   * cannot stop the HTTP server between the two and cut the answer off.
   */
  private static void respond(Context ctx, int status, String contentType, byte[] body) {
    ctx.status(status).contentType(contentType);
    ctx.res().setContentLength(body.length);
    try {
      ctx.res().getOutputStream().write(body);
      ctx.res().flushBuffer();
    } catch (IOException e) {
      // The client left before its answer: nothing to answer to.
      LOG.debug("Could not write the answer to {} {}: {}", ctx.method(), ctx.path(), e.toString());
    }
  }

  /** Requests being answered now (package-private, for tests that must know one is running). */
  int requestsInFlight() {
    return inFlight.get();
  }

  /** Whether {@link #close()} has begun: new requests get 503 from then on. */
  boolean isStopping() {
    return draining;
  }
}
