package io.github.resnetjava.server;

import io.github.resnetjava.serving.SessionConfig;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * How a {@link ModelServer} runs; {@link #defaults(Path)} lists the defaults.
 *
 * @param modelsDir the directory holding {@code <name>/<version>/saved_model.pb}
 * @param host the address to listen on ({@code 127.0.0.1}: this machine only; {@code 0.0.0.0}:
 *     every interface, as TF Serving does)
 * @param restPort the port ({@code 0}: any free one, see {@link ModelServer#port()})
 * @param versionPolicy which versions of each model to serve
 * @param pollSeconds seconds between scans of {@code modelsDir} for new and removed versions
 *     ({@code 0}: scan once at start)
 * @param batching the dynamic batching parameters, or null to run each request on its own
 * @param maxRequestBytes the largest request body accepted; larger ones get 413
 * @param idleTimeoutMillis how long a connection may send nothing before it is closed
 * @param minRequestBytesPerSecond the slowest body upload accepted; slower ones get 408
 * @param shutdownGraceMillis how long {@link ModelServer#close()} waits for running requests
 * @param sessionConfig the TensorFlow session settings of every loaded model
 * @param maxConcurrentRuns session runs that requests not merged by batching may make at once; more
 *     wait their turn ({@link RunLimiter})
 * @param maxQueuedRuns requests that may wait for such a run; more get 503
 */
public record ServerConfig(
    Path modelsDir,
    String host,
    int restPort,
    VersionPolicy versionPolicy,
    long pollSeconds,
    BatchingParameters batching,
    long maxRequestBytes,
    long idleTimeoutMillis,
    long minRequestBytesPerSecond,
    long shutdownGraceMillis,
    SessionConfig sessionConfig,
    int maxConcurrentRuns,
    int maxQueuedRuns) {

  /** TF Serving's REST port. */
  public static final int DEFAULT_REST_PORT = 8501;

  /** The default body limit, 32 MiB. */
  public static final long DEFAULT_MAX_REQUEST_BYTES = 32L << 20;

  /** The default number of requests that may wait for a run ({@code maxQueuedRuns}). */
  public static final int DEFAULT_MAX_QUEUED_RUNS = 128;

  /** Validates the settings, naming the bad one. */
  public ServerConfig {
    if (modelsDir == null || host == null || versionPolicy == null || sessionConfig == null) {
      throw new IllegalArgumentException(
          "modelsDir, host, versionPolicy and sessionConfig must not be null");
    }
    require(restPort >= 0 && restPort <= 65535, "restPort must be 0..65535; got " + restPort);
    require(pollSeconds >= 0, "pollSeconds must be >= 0; got " + pollSeconds);
    require(
        maxRequestBytes >= 1 && maxRequestBytes < Integer.MAX_VALUE,
        "maxRequestBytes must be 1..2^31-2; got " + maxRequestBytes);
    require(idleTimeoutMillis >= 1, "idleTimeoutMillis must be >= 1; got " + idleTimeoutMillis);
    require(
        minRequestBytesPerSecond >= 0,
        "minRequestBytesPerSecond must be >= 0; got " + minRequestBytesPerSecond);
    require(
        shutdownGraceMillis >= 0, "shutdownGraceMillis must be >= 0; got " + shutdownGraceMillis);
    require(maxConcurrentRuns >= 1, "maxConcurrentRuns must be >= 1; got " + maxConcurrentRuns);
    require(maxQueuedRuns >= 0, "maxQueuedRuns must be >= 0; got " + maxQueuedRuns);
  }

  /**
   * Serves {@code modelsDir} on 127.0.0.1:8501, latest version only, polling every 5 seconds, no
   * batching, 32 MiB bodies, 30 s idle timeout (TF Serving's REST timeout), 1 KiB/s minimum upload
   * rate, 30 s shutdown grace, {@link SessionConfig#defaults()}, one unbatched run at a time per
   * processor with up to {@value #DEFAULT_MAX_QUEUED_RUNS} requests waiting.
   */
  public static ServerConfig defaults(Path modelsDir) {
    return new ServerConfig(
        modelsDir,
        "127.0.0.1",
        DEFAULT_REST_PORT,
        VersionPolicy.LATEST,
        5,
        null,
        DEFAULT_MAX_REQUEST_BYTES,
        30_000,
        1024,
        30_000,
        SessionConfig.defaults(),
        Runtime.getRuntime().availableProcessors(),
        DEFAULT_MAX_QUEUED_RUNS);
  }

  /** This config on {@code host} and {@code restPort}. */
  public ServerConfig withAddress(String host, int restPort) {
    return edit(
        fields -> {
          fields.host = host;
          fields.restPort = restPort;
        });
  }

  /** This config with {@code batching} (null: off). */
  public ServerConfig withBatching(BatchingParameters batching) {
    return edit(fields -> fields.batching = batching);
  }

  /** This config with another version policy and poll interval. */
  public ServerConfig withVersions(VersionPolicy versionPolicy, long pollSeconds) {
    return edit(
        fields -> {
          fields.versionPolicy = versionPolicy;
          fields.pollSeconds = pollSeconds;
        });
  }

  /** This config with other request limits. */
  public ServerConfig withLimits(
      long maxRequestBytes, long idleTimeoutMillis, long minRequestBytesPerSecond) {
    return edit(
        fields -> {
          fields.maxRequestBytes = maxRequestBytes;
          fields.idleTimeoutMillis = idleTimeoutMillis;
          fields.minRequestBytesPerSecond = minRequestBytesPerSecond;
        });
  }

  /** This config with another session configuration and shutdown grace. */
  public ServerConfig withSession(SessionConfig sessionConfig, long shutdownGraceMillis) {
    return edit(
        fields -> {
          fields.sessionConfig = sessionConfig;
          fields.shutdownGraceMillis = shutdownGraceMillis;
        });
  }

  /** This config with other bounds on the runs of requests not merged by batching. */
  public ServerConfig withRunLimits(int maxConcurrentRuns, int maxQueuedRuns) {
    return edit(
        fields -> {
          fields.maxConcurrentRuns = maxConcurrentRuns;
          fields.maxQueuedRuns = maxQueuedRuns;
        });
  }

  /** A copy of this config with {@code change} applied, validated by the constructor. */
  private ServerConfig edit(Consumer<Fields> change) {
    Fields fields = new Fields(this);
    change.accept(fields);
    return fields.toConfig();
  }

  /** The components as mutable fields: the one place a with-method's copy is made. */
  private static final class Fields {
    private final Path modelsDir;
    private String host;
    private int restPort;
    private VersionPolicy versionPolicy;
    private long pollSeconds;
    private BatchingParameters batching;
    private long maxRequestBytes;
    private long idleTimeoutMillis;
    private long minRequestBytesPerSecond;
    private long shutdownGraceMillis;
    private SessionConfig sessionConfig;
    private int maxConcurrentRuns;
    private int maxQueuedRuns;

    private Fields(ServerConfig config) {
      modelsDir = config.modelsDir;
      host = config.host;
      restPort = config.restPort;
      versionPolicy = config.versionPolicy;
      pollSeconds = config.pollSeconds;
      batching = config.batching;
      maxRequestBytes = config.maxRequestBytes;
      idleTimeoutMillis = config.idleTimeoutMillis;
      minRequestBytesPerSecond = config.minRequestBytesPerSecond;
      shutdownGraceMillis = config.shutdownGraceMillis;
      sessionConfig = config.sessionConfig;
      maxConcurrentRuns = config.maxConcurrentRuns;
      maxQueuedRuns = config.maxQueuedRuns;
    }

    private ServerConfig toConfig() {
      return new ServerConfig(
          modelsDir,
          host,
          restPort,
          versionPolicy,
          pollSeconds,
          batching,
          maxRequestBytes,
          idleTimeoutMillis,
          minRequestBytesPerSecond,
          shutdownGraceMillis,
          sessionConfig,
          maxConcurrentRuns,
          maxQueuedRuns);
    }
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
