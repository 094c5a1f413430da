package io.github.resnetjava.runtime;

/**
 * Sets what TensorFlow reads once per process, before its natives load or make their CPU device:
 * the CPU backend ({@link OneDnnPolicy}, {@code TF_ENABLE_ONEDNN_OPTS}) and the CPU allocator
 * ({@link CpuAllocatorPolicy}, {@code TF_CPU_ALLOCATOR_USE_BFC}). The one call the library makes
 * before it runs TensorFlow: {@code Classifier.load}, the {@code Trainer} and the command line's
 * {@code predict}, {@code serve}, {@code spark-classify} and {@code train}. An application that
 * runs TensorFlow itself before loading a model calls it first.
 */
public final class TensorFlowStartup {
  private TensorFlowStartup() {}

  /**
   * Applies both policies for {@code workload} (each decides once per process; see their class
   * comments for what the user decides).
   *
   * @return the process's oneDNN choice
   * @throws IllegalArgumentException if {@code workload} is null
   */
  public static OneDnnPolicy.Decision prepareFor(OneDnnPolicy.Workload workload) {
    OneDnnPolicy.Decision backend = OneDnnPolicy.prepareFor(workload);
    CpuAllocatorPolicy.prepare();
    return backend;
  }
}
