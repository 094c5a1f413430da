package io.github.resnetjava.serving;

import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;

/**
 * The TensorFlow session settings a {@link Classifier} loads its model with: the two thread pools
 * of TF's {@code ConfigProto} ({@code intra_op_parallelism_threads}, {@code
 * inter_op_parallelism_threads}) and, opt-in, bfloat16 compute.
 *
 * <p>A ResNet is a chain of large ops (convolutions), each of which can keep every core busy on its
 * own, so the {@link #defaults()} give each op one thread per core and run only {@value
 * #DEFAULT_INTER_OP_THREADS} ops at once: more inter-op threads only make parallel ops compete for
 * the same cores (TensorFlow's own default starts one inter-op thread per core, which
 * oversubscribes large machines).
 *
 * <p>{@link #withBfloat16(boolean) bfloat16} turns on grappler's oneDNN auto mixed precision
 * ({@code auto_mixed_precision_onednn_bfloat16}): convolutions and matrix products run in bfloat16
 * (8 mantissa bits) with float32 accumulation, weights and outputs staying float32. On a CPU with
 * AVX512-BF16 or AMX and oneDNN on it can nearly double ResNet-50's throughput; with oneDNN off it
 * changes nothing, and CPUs without native bfloat16 can be slower with it. Some oneDNN bfloat16
 * kernels give wrong answers on some CPUs (AMD EPYC family 26 for one), so a {@link Classifier}
 * checks bfloat16 against float32 when it loads and falls back to float32 where they disagree
 * ({@link Classifier#bfloat16Refusal()}). Hence opt-in.
 *
 * <p><b>The thread counts are process-wide.</b> TensorFlow's direct session keeps one intra-op pool
 * (the CPU device's Eigen pool) and one inter-op pool per process, created with the counts of the
 * first session that needs them; later sessions' counts are ignored (after a first session, loads
 * with 3/5 and then 9/11 threads start no thread at all). TF's {@code use_per_session_threads}, not
 * set here, would give each session its own inter-op pool, never its own intra-op pool. So the
 * first session of a process decides, whether a Classifier's or not (a Trainer's, a test's): set
 * one SessionConfig per process, before anything else runs TensorFlow. A Classifier loaded with
 * other counts than an earlier Classifier of the same process logs a warning saying so. Bfloat16
 * applies per session.
 *
 * @param intraOpThreads threads one op splits its work over; 0 lets TensorFlow choose (one per
 *     core)
 * @param interOpThreads ops that may run at the same time; 0 lets TensorFlow choose
 * @param bfloat16 whether convolutions and matrix products compute in bfloat16
 */
public record SessionConfig(int intraOpThreads, int interOpThreads, boolean bfloat16) {
  /** Inter-op threads of {@link #defaults()}: the shortcut and the residual path side by side. */
  public static final int DEFAULT_INTER_OP_THREADS = 2;

  /**
   * @throws IllegalArgumentException for a negative thread count
   */
  public SessionConfig {
    if (intraOpThreads < 0 || interOpThreads < 0) {
      throw new IllegalArgumentException(
          "Thread counts must be >= 0 (0 lets TensorFlow choose); got intraOpThreads "
              + intraOpThreads
              + ", interOpThreads "
              + interOpThreads);
    }
  }

  /**
   * One intra-op thread per processor the JVM may use, {@value #DEFAULT_INTER_OP_THREADS} inter-op
   * threads, float32 compute.
   */
  public static SessionConfig defaults() {
    return new SessionConfig(
        Runtime.getRuntime().availableProcessors(), DEFAULT_INTER_OP_THREADS, false);
  }

  /** Whatever TensorFlow picks for an empty {@code ConfigProto}: the baseline of benchmarks. */
  public static SessionConfig tensorFlowDefaults() {
    return new SessionConfig(0, 0, false);
  }

  /** These settings with the given thread counts. */
  public SessionConfig withThreads(int intraOpThreads, int interOpThreads) {
    return new SessionConfig(intraOpThreads, interOpThreads, bfloat16);
  }

  /** These settings with bfloat16 compute on or off. */
  public SessionConfig withBfloat16(boolean bfloat16) {
    return new SessionConfig(intraOpThreads, interOpThreads, bfloat16);
  }

  /** These settings as the {@code ConfigProto} a session or SavedModel loader takes. */
  public ConfigProto toConfigProto() {
    ConfigProto.Builder config =
        ConfigProto.newBuilder()
            .setIntraOpParallelismThreads(intraOpThreads)
            .setInterOpParallelismThreads(interOpThreads);
    if (bfloat16) {
      config.setGraphOptions(
          GraphOptions.newBuilder()
              .setRewriteOptions(
                  RewriterConfig.newBuilder()
                      .setAutoMixedPrecisionOnednnBfloat16(RewriterConfig.Toggle.ON)));
    }
    return config.build();
  }
}
