/**
 * The TensorFlow process settings that must be made before TensorFlow's natives load: {@link
 * io.github.resnetjava.runtime.OneDnnPolicy} chooses oneDNN or TensorFlow's own CPU kernels for the
 * process from the first workload asked for (inference, training), through {@code
 * TF_ENABLE_ONEDNN_OPTS}.
 *
 * <h2>What it may use</h2>
 *
 * <p>JNA (libc's {@code getenv} and {@code setenv}), SLF4J and the JDK: it imports nothing from the
 * rest of {@code resnet-java} and no TensorFlow class, since it must run before any of them loads
 * TensorFlow. {@code serving}, {@code train} and {@code cli} call it.
 */
package io.github.resnetjava.runtime;
