package io.github.resnetjava.bench;

import io.github.resnetjava.savedmodel.Signatures;
import io.github.resnetjava.serving.Classifier;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;

/**
 * Where a ResNet-50 inference spends its time, op type by op type: TensorFlow's own step statistics
 * ({@code RunOptions.TraceLevel.FULL_TRACE}, as {@code tf.compat.v1.RunMetadata} gives them in
 * Python), summed over several runs after warm-up runs. A diagnostic for the oneDNN question of
 * docs/benchmarks.md, not a benchmark: tracing adds its own cost to every op.
 *
 * <p>Run it once per {@code TF_ENABLE_ONEDNN_OPTS} setting, since TensorFlow reads it at load:
 * {@code java -cp ... io.github.resnetjava.bench.OpTimes <SavedModel dir> <batch> [runs]}.
 */
public final class OpTimes {
  private OpTimes() {}

  /** Entry point: {@code <SavedModel dir> <batch> [runs]}; prints the ops by total time. */
  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    int batch = Integer.parseInt(args[1]);
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    float[] images = BenchImages.preprocessed(batch, BenchImages.SIDE);
    Shape shape = Shape.of(batch, BenchImages.SIDE, BenchImages.SIDE, BenchImages.CHANNELS);
    RunOptions trace =
        RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();
    Map<String, Long> micros = new HashMap<>();
    Map<String, Integer> calls = new HashMap<>();
    long wallNanos = 0;
    try (Classifier classifier = Classifier.load(dir)) {
      SavedModelBundle bundle = classifier.savedModel();
      Signature signature = bundle.function(Signatures.SERVING_DEFAULT).signature();
      Output<?> input =
          bundle.graph().outputOrThrow(signature.getInputs().get(Signatures.INPUT).name);
      Output<?> probabilities =
          bundle.graph().outputOrThrow(signature.getOutputs().get(Signatures.PROBABILITIES).name);
      for (int run = -2; run < runs; run++) {
        long start = System.nanoTime();
        try (TFloat32 tensor = TFloat32.tensorOf(shape, DataBuffers.of(images));
            Result result =
                bundle
                    .session()
                    .runner()
                    .feed(input, tensor)
                    .fetch(probabilities)
                    .setOptions(trace)
                    .runAndFetchMetadata()) {
          if (run < 0) {
            continue; // warm-up: graph optimization, kernel creation
          }
          wallNanos += System.nanoTime() - start;
          RunMetadata metadata = result.getMetadata().orElseThrow();
          for (DeviceStepStats device : metadata.getStepStats().getDevStatsList()) {
            for (NodeExecStats node : device.getNodeStatsList()) {
              String op = opType(node);
              micros.merge(op, node.getOpEndRelMicros() - node.getOpStartRelMicros(), Long::sum);
              calls.merge(op, 1, Integer::sum);
            }
          }
        }
      }
    }
    long total = micros.values().stream().mapToLong(Long::longValue).sum();
    System.out.printf(
        Locale.ROOT,
        "%s, batch %d, %d traced runs: %.1f ms wall per run, %.1f ms"
            + " of op time per run (ops overlap on %d cores)%n",
        dir,
        batch,
        runs,
        wallNanos / 1e6 / runs,
        total / 1e3 / runs,
        Runtime.getRuntime().availableProcessors());
    micros.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .limit(15)
        .forEach(
            e ->
                System.out.printf(
                    Locale.ROOT,
                    "%10.1f ms per run %5.1f%% %5d calls  %s%n",
                    e.getValue() / 1e3 / runs,
                    100.0 * e.getValue() / total,
                    calls.get(e.getKey()) / runs,
                    e.getKey()));
  }

  /** The op type of a traced node: its timeline label reads {@code name = OpType(inputs)}. */
  private static String opType(NodeExecStats node) {
    String label = node.getTimelineLabel();
    int equals = label.indexOf(" = ");
    int paren = label.indexOf('(', Math.max(equals, 0));
    if (equals >= 0 && paren > equals) {
      return label.substring(equals + 3, paren);
    }
    return node.getNodeName();
  }
}
