package io.github.resnetjava.bench;

import io.github.resnetjava.savedmodel.Signatures;
import io.github.resnetjava.serving.Classifier;
import io.github.resnetjava.serving.SessionConfig;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * ResNet-50 inference at 224x224 through the library's {@link Classifier} and through a raw {@code
 * Session.runner()} on the same loaded SavedModel ({@link Classifier#savedModel()}).
 *
 * <ul>
 *   <li>{@code api = CLASSIFIER}: {@code classify(float[], batch, 5)} (validation, bulk copy in,
 *       session run, bulk copy out, top-5) in a fork that loads nothing else: its throughput, and
 *       its peak RSS through {@link PeakRss}.
 *   <li>{@code api = PAIRED}: each operation is one Classifier call and one raw call ({@code
 *       runner().feed(input).fetch(probabilities).run()} on the Classifier's own session, bulk
 *       copies in and out), alternating which goes first from one pair to the next, each timed on
 *       its own into the {@link PairedTimes} counters. One session and call-by-call pairing keep
 *       both the model's memory layout and a machine that slows down for a while from favouring
 *       either side, so {@code classifierNanos / sessionNanos - 1} is the library's overhead, and
 *       {@code batch * pairs / sessionNanos} the raw session's throughput.
 * </ul>
 *
 * <p>Each fork runs one batch through every loaded path before measuring: TensorFlow optimizes the
 * graph and oneDNN builds its kernels on the first run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class InferenceBenchmark {
  /** The code path measured. */
  public enum Api {
    /** The Classifier alone. */
    CLASSIFIER,
    /** The Classifier and the raw session, call by call. */
    PAIRED
  }

  /** The session settings the model is loaded with. */
  public enum Settings {
    /** {@link SessionConfig#defaults()}. */
    LIBRARY(SessionConfig.defaults()),
    /** An empty {@code ConfigProto}: TensorFlow's own thread choice, the baseline. */
    TENSORFLOW(SessionConfig.tensorFlowDefaults()),
    /** The defaults with bfloat16 compute. */
    BFLOAT16(SessionConfig.defaults().withBfloat16(true));

    private final SessionConfig config;

    Settings(SessionConfig config) {
      this.config = config;
    }
  }

  /**
   * Nanoseconds spent in each path of {@code api = PAIRED} during one iteration, and the pairs run;
   * JMH reports them as secondary results of each iteration.
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class PairedTimes {
    public long classifierNanos;
    public long sessionNanos;
    public long pairs;

    /** 1 where bfloat16 was asked for and refused at load: the fork measured float32. */
    public long bfloat16Refused;

    @Setup(Level.Iteration)
    public void reset() {
      classifierNanos = 0;
      sessionNanos = 0;
      pairs = 0;
      bfloat16Refused = 0;
    }
  }

  private static final int TOP_K = 5;

  @Param({"PLAIN", "OPTIMIZED"})
  public ExportVariant model;

  @Param({"1", "8", "32"})
  public int batch;

  @Param({"CLASSIFIER", "PAIRED"})
  public Api api;

  @Param({"LIBRARY"})
  public Settings settings;

  private float[] images;
  private Shape imagesShape;
  private float[] scores;
  private Classifier classifier;
  private Session session;
  private Output<?> input;
  private Output<?> probabilities;

  /** Pairs run in this fork: which path goes first alternates across iteration boundaries. */
  private long pairsRun;

  @Setup
  public void load() {
    images = BenchImages.preprocessed(batch, BenchImages.SIDE);
    imagesShape = Shape.of(batch, BenchImages.SIDE, BenchImages.SIDE, BenchImages.CHANNELS);
    scores = new float[batch * BenchImages.CLASSES];
    classifier = Classifier.load(model.modelDir(), settings.config);
    classifier.classify(images, batch, TOP_K);
    if (api == Api.PAIRED) {
      resolveRawSession();
      rawSession();
    }
  }

  /** The raw API's view of the Classifier's model: its session and signature tensors. */
  private void resolveRawSession() {
    SavedModelBundle bundle = classifier.savedModel();
    session = bundle.session();
    Signature signature = bundle.function(Signatures.SERVING_DEFAULT).signature();
    input = bundle.graph().outputOrThrow(signature.getInputs().get(Signatures.INPUT).name);
    probabilities =
        bundle.graph().outputOrThrow(signature.getOutputs().get(Signatures.PROBABILITIES).name);
  }

  /** One batch through the Classifier, or one through each path. */
  @Benchmark
  public void infer(PairedTimes times, Blackhole results) {
    times.bfloat16Refused = classifier.bfloat16Refusal().isPresent() ? 1 : 0;
    if (api == Api.CLASSIFIER) {
      results.consume(classifier.classify(images, batch, TOP_K));
      return;
    }
    boolean classifierFirst = (pairsRun++ & 1) == 0;
    long start = System.nanoTime();
    results.consume(classifierFirst ? classifier.classify(images, batch, TOP_K) : rawSession());
    long middle = System.nanoTime();
    results.consume(classifierFirst ? rawSession() : classifier.classify(images, batch, TOP_K));
    long end = System.nanoTime();
    times.classifierNanos += classifierFirst ? middle - start : end - middle;
    times.sessionNanos += classifierFirst ? end - middle : middle - start;
    times.pairs++;
  }

  /** What a caller of the raw TF Java API writes: feed, fetch, copy the output out. */
  private float[] rawSession() {
    try (TFloat32 tensor = TFloat32.tensorOf(imagesShape, DataBuffers.of(images));
        Result result = session.runner().feed(input, tensor).fetch(probabilities).run()) {
      ((TFloat32) result.get(0)).copyTo(DataBuffers.of(scores));
    }
    return scores;
  }

  @TearDown
  public void close() {
    PeakRss.report();
    classifier.close();
  }
}
