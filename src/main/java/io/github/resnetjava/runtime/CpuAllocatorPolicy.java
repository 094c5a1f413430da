package io.github.resnetjava.runtime;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses TensorFlow's CPU memory allocator for this process: TensorFlow's BFC allocator ("best fit
 * with coalescing", the one it uses for GPU memory), which keeps the memory of freed tensors for
 * the next session run, instead of the C library's {@code malloc}, by setting {@value
 * #ENVIRONMENT_VARIABLE}{@code =true} before TensorFlow makes its CPU device.
 *
 * <p><b>The TensorFlow behaviour it mirrors.</b> TensorFlow 2.18's {@code
 * ProcessState::GetCPUAllocator} ({@code tensorflow/core/common_runtime/process_state.cc}) reads
 * {@value #ENVIRONMENT_VARIABLE} from the C environment once per process, when the first CPU device
 * is made (the first session): {@code true} gives a {@code BFCAllocator} that grows as needed up to
 * {@code TF_CPU_BFC_MEM_LIMIT_IN_MB} (64 GiB unless set) and never returns memory; unset or {@code
 * false} gives the default allocator, {@code malloc} with oneDNN off and oneDNN's own allocator
 * (BFC for large blocks) with it on.
 *
 * <p><b>Why.</b> With oneDNN off (what {@link OneDnnPolicy} chooses for inference), every tensor of
 * a session run comes from {@code malloc}, and glibc serves the large ones (the 25 MB activations
 * of a ResNet-50 at batch 8) from fresh {@code mmap}s or from arenas it trims, depending on
 * thresholds it adjusts as it goes: on an AMD EPYC of CPU family 26 some processes settled in a
 * state with 12,000 to 35,000 page faults and 15-25% system time per batch-8 run, 16-18 images/s
 * against 28-32 in the others. With BFC every process ran at 30-32 images/s with about 150 page
 * faults per run; batch 1 and {@code resnet train} (oneDNN on and off) measured the same with both,
 * and the resident memory was the same or lower (docs/benchmarks.md, "The CPU allocator").
 *
 * <p><b>What the user decides.</b> {@value #ENVIRONMENT_VARIABLE} set in the environment is never
 * overridden. Otherwise {@code -D}{@value #PROPERTY}{@code =bfc} (the default) or {@code
 * tensorflow} (sets nothing: TensorFlow's default allocator).
 *
 * <p><b>Where it cannot choose</b> it sets nothing and nothing fails: when TensorFlow's natives are
 * loaded before the first {@link TensorFlowStartup#prepareFor} (logged at INFO), off Linux, or
 * without JNA or libc (logged at DEBUG). Thread-safe; decides once per process.
 */
public final class CpuAllocatorPolicy {
  /** The environment variable TensorFlow reads. */
  public static final String ENVIRONMENT_VARIABLE = "TF_CPU_ALLOCATOR_USE_BFC";

  /** The system property that overrides the policy: {@code bfc} or {@code tensorflow}. */
  public static final String PROPERTY = "resnet.cpu-allocator";

  private static final String BFC = "true";

  private static final Logger LOG = LoggerFactory.getLogger(CpuAllocatorPolicy.class);

  private static final CpuAllocatorPolicy PROCESS =
      new CpuAllocatorPolicy(ProcessEnvironment::libcOrNull);

  private final Supplier<ProcessEnvironment> environments;
  private Optional<String> decision;

  CpuAllocatorPolicy(Supplier<ProcessEnvironment> environments) {
    this.environments = environments;
  }

  /**
   * Chooses the allocator for this process if it is not chosen yet (see the class comment). Call it
   * before anything in the process uses a TensorFlow class ({@link TensorFlowStartup} does).
   *
   * @return what TensorFlow reads for {@value #ENVIRONMENT_VARIABLE}; empty: unset, its default
   *     allocator
   */
  public static Optional<String> prepare() {
    return PROCESS.request(System.getProperty(PROPERTY));
  }

  /** {@link #prepare()} against this instance's environment and the given property. */
  synchronized Optional<String> request(String property) {
    if (decision == null) {
      decision = decide(property);
    }
    return decision;
  }

  private Optional<String> decide(String property) {
    ProcessEnvironment environment = environments.get();
    if (environment == null) {
      return Optional.ofNullable(System.getenv(ENVIRONMENT_VARIABLE));
    }
    if (!wantsBfc(property)) {
      return environment.get(ENVIRONMENT_VARIABLE);
    }
    return switch (environment.setBeforeTensorFlowLoads(ENVIRONMENT_VARIABLE, BFC)) {
      case SET -> {
        LOG.debug("{}={}: TensorFlow's BFC allocator for CPU tensors", ENVIRONMENT_VARIABLE, BFC);
        yield Optional.of(BFC);
      }
      case ALREADY_SET -> environment.get(ENVIRONMENT_VARIABLE);
      case TENSORFLOW_LOADED -> {
        LOG.info(
            "TensorFlow was loaded before the library could choose its CPU allocator, so it runs"
                + " with its default one; set {}={} before the JVM starts, or call"
                + " TensorFlowStartup.prepareFor first, for the BFC allocator",
            ENVIRONMENT_VARIABLE,
            BFC);
        yield Optional.empty();
      }
      case FAILED -> {
        LOG.debug(
            "setenv({}, {}) failed; TensorFlow's default allocator", ENVIRONMENT_VARIABLE, BFC);
        yield Optional.empty();
      }
    };
  }

  private static boolean wantsBfc(String property) {
    String mode = property == null ? "bfc" : property.strip().toLowerCase(Locale.ROOT);
    return switch (mode) {
      case "bfc" -> true;
      case "tensorflow" -> false;
      default -> {
        LOG.warn("-D{}={} is not one of bfc, tensorflow; using bfc", PROPERTY, property);
        yield true;
      }
    };
  }
}
