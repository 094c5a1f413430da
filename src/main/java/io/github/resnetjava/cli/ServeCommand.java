package io.github.resnetjava.cli;

import io.github.resnetjava.runtime.OneDnnPolicy;
import io.github.resnetjava.runtime.TensorFlowStartup;
import io.github.resnetjava.server.ModelEvents;
import io.github.resnetjava.server.ModelServer;
import io.github.resnetjava.server.ServerConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code resnet serve}: serves every model under a models directory with TF Serving's REST API
 * ({@link ModelServer}) until SIGTERM or Ctrl-C, which stop it gracefully.
 */
@Command(
    name = "serve",
    description =
        "Serve every model under a models directory (<name>/<version>/) with TF"
            + " Serving's REST API; SIGTERM stops it gracefully.")
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HelpOption help;

  @Mixin BatchingOptions batching;

  @Option(
      names = "--models-dir",
      paramLabel = "DIR",
      defaultValue = "models",
      description = "The models directory (default: ${DEFAULT-VALUE}).")
  Path modelsDir;

  @Option(
      names = "--rest-port",
      paramLabel = "PORT",
      defaultValue = "8501",
      description = "HTTP port, 0 for any free one (default: ${DEFAULT-VALUE}, TF Serving's).")
  int restPort;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      defaultValue = "127.0.0.1",
      description =
          "Address to listen on; 0.0.0.0 for every interface" + " (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--poll-seconds",
      paramLabel = "S",
      defaultValue = "5",
      description =
          "Seconds between scans for new and removed versions; 0 scans once"
              + " (default: ${DEFAULT-VALUE}).")
  long pollSeconds;

  @Mixin VersionPolicyOption versions;

  @Option(
      names = "--max-request-bytes",
      paramLabel = "BYTES",
      defaultValue = "33554432",
      description = "Largest request body; larger ones get 413 (default: ${DEFAULT-VALUE}).")
  long maxRequestBytes;

  @Option(
      names = "--rest-timeout-ms",
      paramLabel = "MS",
      defaultValue = "30000",
      description = "Idle time after which a connection is closed (default: ${DEFAULT-VALUE}).")
  long restTimeoutMillis;

  @Option(
      names = "--max-concurrent-runs",
      paramLabel = "N",
      converter = OptionConverters.PositiveInt.class,
      description =
          "Session runs that requests not merged by batching may make at once; more wait"
              + " their turn (default: the number of CPU cores).")
  Integer maxConcurrentRuns;

  @Option(
      names = "--max-queued-runs",
      paramLabel = "N",
      defaultValue = "" + ServerConfig.DEFAULT_MAX_QUEUED_RUNS,
      description =
          "Requests that may wait for such a run before more get 503"
              + " (default: ${DEFAULT-VALUE}).")
  int maxQueuedRuns;

  @Override
  public Integer call() throws InterruptedException {
    // Before anything loads TensorFlow, which reads its oneDNN switch once.
    TensorFlowStartup.prepareFor(OneDnnPolicy.Workload.INFERENCE);
    if (!Files.isDirectory(modelsDir)) {
      throw new ParameterException(
          spec.commandLine(),
          "models directory not found: " + modelsDir + " (export a model into it first)");
    }
    PrintWriter out = spec.commandLine().getOut();
    ServerConfig defaults = ServerConfig.defaults(modelsDir);
    ServerConfig config =
        defaults
            .withAddress(host, restPort)
            .withVersions(versions.versionPolicy, pollSeconds)
            .withBatching(batching.enabled ? batching.parameters() : null)
            .withLimits(maxRequestBytes, restTimeoutMillis, defaults.minRequestBytesPerSecond())
            .withRunLimits(
                maxConcurrentRuns != null ? maxConcurrentRuns : defaults.maxConcurrentRuns(),
                maxQueuedRuns);
    ModelServer server = ModelServer.start(config, new PrintedEvents(out));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  out.println("Stopping: finishing running requests ...");
                  out.flush();
                  server.close();
                  out.println("Stopped.");
                  out.flush();
                  stopped.countDown();
                },
                "serve-shutdown"));
    Map<String, List<Long>> served = server.servedVersions();
    if (served.isEmpty()) {
      out.println(
          "No model yet under " + modelsDir + "; polling for one every " + pollSeconds + " s");
    }
    served
        .keySet()
        .forEach(name -> out.println("Serving " + server.baseUrl() + "/v1/models/" + name));
    out.printf(
        Locale.ROOT,
        "REST API at %s (metrics at %s%s)%s%n",
        server.baseUrl(),
        server.baseUrl(),
        ModelServer.METRICS_PATH,
        batching.enabled ? ", batching " + batching.parameters() : "");
    out.flush();
    stopped.await();
    return 0;
  }

  /** One line per version loaded, unloaded or failed. */
  private record PrintedEvents(PrintWriter out) implements ModelEvents {
    @Override
    public void loaded(String model, long version, Path dir) {
      print("Loaded model " + model + " version " + version + " from " + dir);
    }

    @Override
    public void unloaded(String model, long version) {
      print("Unloaded model " + model + " version " + version);
    }

    @Override
    public void failed(String model, long version, Path dir, String problem) {
      print("Cannot load model " + model + " version " + version + " from " + dir + ": " + problem);
    }

    private void print(String line) {
      synchronized (out) {
        out.println(line);
        out.flush();
      }
    }
  }
}
