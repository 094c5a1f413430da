import io.github.resnetjava.serving.Classifier;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The load generator of scripts/bench-serve.sh, run with Java's single-file launcher and the CLI
 * jar on the class path. Bounded in time and count, loopback only.
 *
 * <pre>
 *   http URL CLIENTS SECONDS MAX_REQUESTS IMAGE   closed-loop clients, one image per request,
 *                                                  {"signature_name":"image_bytes","instances":[{"b64":...}]}
 *   inprocess MODEL_DIR BATCH THREADS SECONDS IMAGE
 *                                                  Classifier.classifyEncoded on batches of BATCH
 *                                                  from THREADS threads at once, one Classifier
 * </pre>
 *
 * Prints one line: {@code images=N errors=N seconds=S images_per_s=X p50_ms=X p99_ms=X}.
 */
public class ServeLoad {
  public static void main(String[] args) throws Exception {
    if (args[0].equals("http")) {
      http(args[1], Integer.parseInt(args[2]), Double.parseDouble(args[3]),
          Integer.parseInt(args[4]), Files.readAllBytes(Path.of(args[5])));
    } else {
      inProcess(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
          Double.parseDouble(args[4]), Files.readAllBytes(Path.of(args[5])));
    }
  }

  private static void http(String url, int clients, double seconds, int maxRequests, byte[] image)
      throws InterruptedException {
    String body = "{\"signature_name\":\"image_bytes\",\"instances\":[{\"b64\":\""
        + Base64.getEncoder().encodeToString(image) + "\"}]}";
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(120))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger started = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    long start = System.nanoTime();
    long deadline = start + (long) (seconds * 1e9);
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    for (int c = 0; c < clients; c++) {
      pool.execute(() -> {
        while (System.nanoTime() < deadline && started.incrementAndGet() <= maxRequests) {
          long t0 = System.nanoTime();
          try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
              latencies.add(System.nanoTime() - t0);
            } else {
              errors.incrementAndGet();
            }
          } catch (IOException | InterruptedException e) {
            errors.incrementAndGet();
          }
        }
      });
    }
    pool.shutdown();
    pool.awaitTermination((long) seconds + 300, TimeUnit.SECONDS);
    report(latencies, errors.get(), (System.nanoTime() - start) / 1e9, 1);
  }

  private static void inProcess(
      Path modelDir, int batch, int threads, double seconds, byte[] image)
      throws InterruptedException {
    List<byte[]> images = Collections.nCopies(batch, image);
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    try (Classifier classifier = Classifier.load(modelDir)) {
      classifier.classifyEncoded(images, 1);
      long start = System.nanoTime();
      long deadline = start + (long) (seconds * 1e9);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      for (int t = 0; t < threads; t++) {
        pool.execute(() -> {
          while (System.nanoTime() < deadline) {
            long t0 = System.nanoTime();
            classifier.classifyEncoded(images, 5);
            latencies.add(System.nanoTime() - t0);
          }
        });
      }
      pool.shutdown();
      pool.awaitTermination((long) seconds + 300, TimeUnit.SECONDS);
      report(latencies, 0, (System.nanoTime() - start) / 1e9, batch);
    }
  }

  private static void report(List<Long> latencies, int errors, double seconds, int perCall) {
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    double p50 = sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2) / 1e6;
    double p99 = sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1,
        (int) Math.ceil(sorted.size() * 0.99) - 1)) / 1e6;
    int images = sorted.size() * perCall;
    System.out.printf(Locale.ROOT,
        "images=%d errors=%d seconds=%.1f images_per_s=%.2f p50_ms=%.1f p99_ms=%.1f%n",
        images, errors, seconds, images / seconds, p50, p99);
  }
}
