package io.github.resnetjava.runtime;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses TensorFlow's CPU backend for this process, oneDNN's kernels or TensorFlow's own (Eigen),
 * from the work the process asks for first, by setting {@value #ENVIRONMENT_VARIABLE} before
 * TensorFlow's natives load.
 *
 * <p><b>The TensorFlow behaviour it mirrors.</b> TensorFlow 2.18 ({@code IsMKLEnabled()} in {@code
 * tensorflow/core/util/util.cc}) reads {@value #ENVIRONMENT_VARIABLE} from the C environment once
 * per process, while its natives load: {@code 0} runs its own kernels, {@code 1} oneDNN's; unset,
 * oneDNN is on for x86 CPUs with AVX512-VNNI, AVX512-BF16, AVX-VNNI or AMX and off elsewhere.
 * Nothing changes it afterwards, and Java cannot set an environment variable, so this class calls
 * libc's {@code setenv(name, value, 0)} (through JNA) before TensorFlow loads: what a user does in
 * the shell that starts the JVM, done by the library for the workload it is asked to run.
 *
 * <p><b>The policy</b> (system property {@value #PROPERTY} unset or {@code auto}):
 *
 * <ul>
 *   <li>{@link Workload#INFERENCE} sets {@code 0}. On an AMD EPYC of CPU family 26 (Zen 5), where
 *       TensorFlow turns oneDNN on by itself, ResNet-50 inference ran at 0.4x to 0.7x of oneDNN off
 *       (docs/benchmarks.md); on CPUs where TensorFlow leaves it off, {@code 0} is its own choice.
 *   <li>{@link Workload#TRAINING} and {@link Workload#BFLOAT16_INFERENCE} set nothing: TensorFlow
 *       chooses. Training ran about 5x faster with oneDNN on the same CPU, and bfloat16 compute
 *       needs oneDNN.
 * </ul>
 *
 * <p>The first request of a process decides, because TensorFlow reads the variable once: a later
 * request for a workload that wants another backend runs on the chosen one, and the first such
 * request logs one warning that names the variable and what to set. Set {@value
 * #ENVIRONMENT_VARIABLE} yourself for a JVM that both trains and serves.
 *
 * <p><b>What the user decides.</b> {@value #ENVIRONMENT_VARIABLE} set in the environment is never
 * overridden (nor warned about). Otherwise {@code -D}{@value #PROPERTY} {@code =auto} (the policy
 * above), {@code off} (sets {@code 0} for every workload), {@code on} (sets {@code 1}) or {@code
 * tensorflow} (sets nothing: TensorFlow's own choice).
 *
 * <p><b>Where it cannot choose</b> it sets nothing, TensorFlow chooses, and nothing fails: when
 * TensorFlow's natives are loaded before the first request (a graph or session made before the
 * first {@code Classifier} or {@code Trainer}; logged at INFO), off Linux, or where JNA or libc
 * cannot be loaded (logged at DEBUG). An application that runs TensorFlow itself before loading a
 * model calls {@link TensorFlowStartup#prepareFor(Workload)} first.
 *
 * <p>Callers: {@link TensorFlowStartup#prepareFor(Workload)}, which {@code Classifier.load} (so
 * also the model server and Spark executors), the {@code Trainer}, and the command line's {@code
 * predict}, {@code serve}, {@code spark-classify} and {@code train} call before they do anything
 * else. Thread-safe; {@code setenv} runs at most once, before TensorFlow has started any thread.
 */
public final class OneDnnPolicy {
  /** The environment variable TensorFlow reads. */
  public static final String ENVIRONMENT_VARIABLE = "TF_ENABLE_ONEDNN_OPTS";

  /**
   * The system property that overrides the policy: {@code auto}, {@code on}, {@code off}, {@code
   * tensorflow}.
   */
  public static final String PROPERTY = "resnet.onednn";

  /** What a caller is about to run with TensorFlow. */
  public enum Workload {
    /** Float32 inference: oneDNN off ({@code 0}). */
    INFERENCE("inference", Optional.of("0")),
    /** Inference with bfloat16 compute, which only oneDNN provides: TensorFlow's choice. */
    BFLOAT16_INFERENCE("bfloat16 inference", Optional.empty()),
    /** Training: TensorFlow's choice. */
    TRAINING("training", Optional.empty());

    private final String description;
    private final Optional<String> value;

    Workload(String description, Optional<String> value) {
      this.description = description;
      this.value = value;
    }

    /** The value the policy sets for it; empty: none, TensorFlow chooses. */
    public Optional<String> policyValue() {
      return value;
    }
  }

  /** Who decided the value TensorFlow reads. */
  public enum Source {
    /** The user, in the environment the JVM started with (or an earlier {@code setenv}). */
    ENVIRONMENT,
    /** The user, through {@value OneDnnPolicy#PROPERTY}. */
    PROPERTY,
    /** The policy, from the first workload requested. */
    WORKLOAD,
    /** Nobody: TensorFlow was loaded before the first request, or the variable cannot be set. */
    UNCHANGED
  }

  /**
   * The process's choice, made on the first request.
   *
   * @param workload the first workload requested
   * @param value what TensorFlow reads for {@value OneDnnPolicy#ENVIRONMENT_VARIABLE}; empty:
   *     unset, TensorFlow's own choice
   * @param source who decided it
   */
  public record Decision(Workload workload, Optional<String> value, Source source) {}

  private static final Logger LOG = LoggerFactory.getLogger(OneDnnPolicy.class);

  private static final OneDnnPolicy PROCESS = new OneDnnPolicy(ProcessEnvironment::libcOrNull);

  /** Supplies the environment; null where it cannot be had (logged by the supplier). */
  private final Supplier<ProcessEnvironment> environments;

  private Decision decision;
  private boolean warned;

  OneDnnPolicy(Supplier<ProcessEnvironment> environments) {
    this.environments = environments;
  }

  /**
   * Chooses the backend for this process if it is not chosen yet (see the class comment), or warns
   * once if {@code workload} wants another one than the policy chose. Call it before anything in
   * the process uses a TensorFlow class.
   *
   * @return the process's choice
   * @throws IllegalArgumentException if {@code workload} is null
   */
  public static Decision prepareFor(Workload workload) {
    return PROCESS.request(workload, System.getProperty(PROPERTY));
  }

  /** {@link #prepareFor(Workload)} against this instance's environment and the given property. */
  synchronized Decision request(Workload workload, String property) {
    if (workload == null) {
      throw new IllegalArgumentException("workload must not be null");
    }
    if (decision == null) {
      decision = decide(workload, property);
    } else if (decision.source() == Source.WORKLOAD
        && !decision.value().equals(workload.value)
        && !warned) {
      warned = true;
      LOG.warn(conflict(workload));
    }
    return decision;
  }

  private Decision decide(Workload workload, String property) {
    Optional<String> wanted = wanted(workload, property);
    Source source =
        property == null || property.equalsIgnoreCase("auto") ? Source.WORKLOAD : Source.PROPERTY;
    ProcessEnvironment environment = environments.get();
    if (environment == null) {
      return new Decision(
          workload, Optional.ofNullable(System.getenv(ENVIRONMENT_VARIABLE)), Source.UNCHANGED);
    }
    Optional<String> set = environment.get(ENVIRONMENT_VARIABLE);
    if (set.isPresent()) {
      LOG.debug(
          "{}={} is set in the environment; it decides TensorFlow's oneDNN backend",
          ENVIRONMENT_VARIABLE,
          set.get());
      return new Decision(workload, set, Source.ENVIRONMENT);
    }
    if (wanted.isEmpty()) {
      return new Decision(workload, Optional.empty(), source);
    }
    return switch (environment.setBeforeTensorFlowLoads(ENVIRONMENT_VARIABLE, wanted.get())) {
      case SET -> {
        LOG.debug(
            "{}={} for {}: {}",
            ENVIRONMENT_VARIABLE,
            wanted.get(),
            workload.description,
            backend(wanted));
        yield new Decision(workload, wanted, source);
      }
      case TENSORFLOW_LOADED -> {
        LOG.info(
            "TensorFlow was loaded before the first {}, so it runs with its own oneDNN choice ({}"
                + " unset); set {}={} before the JVM starts, or call TensorFlowStartup.prepareFor"
                + " first, to run it with {}",
            workload.description,
            ENVIRONMENT_VARIABLE,
            ENVIRONMENT_VARIABLE,
            wanted.get(),
            backend(wanted));
        yield new Decision(workload, Optional.empty(), Source.UNCHANGED);
      }
      case ALREADY_SET ->
          new Decision(workload, environment.get(ENVIRONMENT_VARIABLE), Source.ENVIRONMENT);
      case FAILED -> {
        LOG.debug(
            "setenv({}, {}) failed; TensorFlow chooses oneDNN itself",
            ENVIRONMENT_VARIABLE,
            wanted.get());
        yield new Decision(workload, Optional.empty(), Source.UNCHANGED);
      }
    };
  }

  /** The value to set for {@code workload} under {@code property}; empty: none. */
  private static Optional<String> wanted(Workload workload, String property) {
    String mode = property == null ? "auto" : property.strip().toLowerCase(Locale.ROOT);
    return switch (mode) {
      case "auto" -> workload.value;
      case "off" -> Optional.of("0");
      case "on" -> Optional.of("1");
      case "tensorflow" -> Optional.empty();
      default -> {
        LOG.warn("-D{}={} is not one of auto, on, off, tensorflow; using auto", PROPERTY, property);
        yield workload.value;
      }
    };
  }

  private String conflict(Workload workload) {
    return workload.description
        + " in this JVM runs with "
        + backend(decision.value())
        + " ("
        + ENVIRONMENT_VARIABLE
        + decision.value().map(v -> "=" + v).orElse(" unset")
        + ", chosen for its first "
        + decision.workload().description
        + "), not with "
        + backend(workload.value)
        + ", which suits it better: TensorFlow reads "
        + ENVIRONMENT_VARIABLE
        + " once per process. For a JVM that does both, choose: start it with "
        + ENVIRONMENT_VARIABLE
        + "=0 (oneDNN off: fast float32 inference) or =1 (oneDNN on: fast training, bfloat16),"
        + " or with -D"
        + PROPERTY
        + "=off, on or tensorflow.";
  }

  private static String backend(Optional<String> value) {
    return value
        .map(v -> v.equals("0") ? "oneDNN off" : "oneDNN on")
        .orElse("TensorFlow's own oneDNN choice");
  }
}
