/**
 * The TensorFlow process settings that must be made before TensorFlow's natives load, applied
 * together by {@link io.github.resnetjava.runtime.TensorFlowStartup}: {@link
 * io.github.resnetjava.runtime.OneDnnPolicy} chooses oneDNN or TensorFlow's own CPU kernels for the
 * process from the first workload asked for (inference, training), through {@code
 * TF_ENABLE_ONEDNN_OPTS}; {@link io.github.resnetjava.runtime.CpuAllocatorPolicy} chooses
 * TensorFlow's BFC allocator for CPU tensors, through {@code TF_CPU_ALLOCATOR_USE_BFC}.
 *
 * <h2>What it may use</h2>
 *
 * <p>JNA (libc's {@code getenv} and {@code setenv}), SLF4J and the JDK: it imports nothing from the
 * rest of {@code resnet-java} and no TensorFlow class, since it must run before any of them loads
 * TensorFlow. {@code serving}, {@code train} and {@code cli} call it.
 */
package io.github.resnetjava.runtime;
