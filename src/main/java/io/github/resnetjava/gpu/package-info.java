/**
 * GPU support for the {@code -Pgpu} build: {@link io.github.resnetjava.gpu.CudaRuntime} loads the
 * bundled CUDA and cuDNN libraries into the process before TensorFlow's first session {@code
 * dlopen}s them, standing in for an installed CUDA toolkit; on a CPU build it does nothing.
 *
 * <h2>What it may use</h2>
 *
 * <p>JavaCPP's {@code Loader}, SLF4J and the JDK: it imports nothing from the rest of {@code
 * resnet-java} and no TensorFlow class. Only {@code cli} calls it, once at start-up; an application
 * embedding the library calls {@link io.github.resnetjava.gpu.CudaRuntime#preload()} itself before
 * creating a session.
 */
package io.github.resnetjava.gpu;
