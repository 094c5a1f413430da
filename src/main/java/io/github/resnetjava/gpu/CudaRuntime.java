package io.github.resnetjava.gpu;

import java.io.File;
import java.io.IOException;
import java.util.List;
import org.bytedeco.javacpp.Loader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the CUDA 12 and cuDNN 9 libraries that the {@code -Pgpu} build bundles (JavaCPP's {@code
 * org.bytedeco:cuda:*:linux-x86_64-redist} jar) into this process, so TensorFlow's GPU natives find
 * them.
 *
 * <p>TensorFlow does not link against CUDA: when its first session starts it {@code dlopen}s {@code
 * libcudart.so.12}, {@code libcublas.so.12}, {@code libcudnn.so.9} and the others by soname, and
 * registers no GPU if that fails. The dynamic linker answers such a request with a library of that
 * soname already loaded into the process, so loading the bundled copies first (extracted once to
 * JavaCPP's cache, {@code ~/.javacpp/cache}) stands in for an installed CUDA toolkit and {@code
 * LD_LIBRARY_PATH}. Only the NVIDIA driver ({@code libcuda.so.1}) must come from the system. The
 * libraries find each other through their {@code $ORIGIN} run path, so only the raw libraries are
 * needed, not JavaCPP's JNI bindings of them (which would need the driver just to load).
 *
 * <p>Call {@link #preload()} before anything creates a TensorFlow session; on a CPU build, where
 * the redistributable is absent, it does nothing.
 */
public final class CudaRuntime {
  /** Where the redistributable jar keeps its libraries. */
  static final String RESOURCE_DIR = "/org/bytedeco/cuda/linux-x86_64/";

  /**
   * The libraries TensorFlow 2.18 opens (runtime, cuBLAS, cuFFT, cuSPARSE, cuSOLVER, cuDNN) and
   * those they need or open themselves (cuBLASLt, nvJitLink, cuDNN's parts, NVRTC for cuDNN's
   * runtime-compiled engines), dependencies first.
   */
  static final List<String> LIBRARIES =
      List.of(
          "libcudart.so.12",
          "libnvJitLink.so.12",
          "libnvrtc.so.12",
          "libnvrtc-builtins.so.12.6",
          "libcublasLt.so.12",
          "libcublas.so.12",
          "libcufft.so.11",
          "libcusparse.so.12",
          "libcusolver.so.11",
          "libcudnn_graph.so.9",
          "libcudnn_engines_precompiled.so.9",
          "libcudnn_engines_runtime_compiled.so.9",
          "libcudnn_heuristic.so.9",
          "libcudnn_ops.so.9",
          "libcudnn_cnn.so.9",
          "libcudnn_adv.so.9",
          "libcudnn.so.9");

  private static final Logger LOG = LoggerFactory.getLogger(CudaRuntime.class);

  private static Boolean loaded;

  private CudaRuntime() {}

  /**
   * Loads the bundled CUDA libraries, once per process. The first call on a machine extracts about
   * 1.7 GB to JavaCPP's cache, which takes a while; later calls and runs reuse it.
   *
   * @return true if they are loaded; false if this is a CPU build, or if loading failed (logged as
   *     a warning; TensorFlow then runs on the CPU)
   */
  public static synchronized boolean preload() {
    if (loaded == null) {
      loaded = isBundled() && load();
    }
    return loaded;
  }

  /** Whether the CUDA redistributable is on the class path, i.e. this is a {@code -Pgpu} build. */
  public static boolean isBundled() {
    return CudaRuntime.class.getResource(RESOURCE_DIR + LIBRARIES.get(0)) != null;
  }

  private static boolean load() {
    try {
      // Extract every library before loading any, so each finds its dependencies beside it.
      File[] files = new File[LIBRARIES.size()];
      for (int i = 0; i < files.length; i++) {
        files[i] = Loader.cacheResource(CudaRuntime.class, RESOURCE_DIR + LIBRARIES.get(i));
      }
      for (File file : files) {
        System.load(file.getAbsolutePath());
      }
      LOG.debug("Loaded the bundled CUDA libraries from {}", files[0].getParent());
      return true;
    } catch (IOException | UnsatisfiedLinkError | RuntimeException e) {
      LOG.warn(
          "Could not load the bundled CUDA libraries, TensorFlow will use the CPU: {}",
          e.toString());
      return false;
    }
  }
}
