package io.github.resnetjava.spark;

import io.github.resnetjava.serving.Classifier;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link Classifier}s of one JVM (a Spark executor, or the driver in local mode), keyed by
 * SavedModel directory: the first task that needs a model loads it, every later task and partition
 * in the JVM shares it (a {@link Classifier} is thread-safe), and a shutdown hook closes them all
 * when the JVM exits. This is the per-executor model cache Spark's broadcast variables give for
 * serializable values, for a native TensorFlow session that cannot be serialized.
 */
final class ExecutorClassifiers {
  private static final Map<String, Classifier> LOADED = new ConcurrentHashMap<>();
  private static final Map<String, AtomicInteger> LOADS = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(ExecutorClassifiers::closeAll, "resnet-classifiers-close"));
  }

  private ExecutorClassifiers() {}

  /**
   * The JVM's classifier for {@code savedModelDir}, loading it on first use.
   *
   * @throws io.github.resnetjava.serving.ModelLoadException if the model cannot be loaded here
   */
  static Classifier forDirectory(String savedModelDir) {
    return LOADED.computeIfAbsent(
        savedModelDir,
        dir -> {
          Classifier classifier = Classifier.load(Path.of(dir));
          LOADS.computeIfAbsent(dir, d -> new AtomicInteger()).incrementAndGet();
          return classifier;
        });
  }

  /** How many times this JVM has loaded {@code savedModelDir}: 0 or 1 while it lives. */
  static int loads(String savedModelDir) {
    AtomicInteger count = LOADS.get(savedModelDir);
    return count == null ? 0 : count.get();
  }

  private static void closeAll() {
    LOADED.values().forEach(Classifier::close);
    LOADED.clear();
  }
}
