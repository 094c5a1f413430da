package io.github.resnetjava.gpu;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Loads the bundled CUDA libraries when the test run starts, before any test creates a TensorFlow
 * session: TensorFlow looks for CUDA only once per process, at its first session, so a GPU test
 * that loaded them itself would be too late whenever another test ran first. Registered in {@code
 * META-INF/services}; does nothing on a CPU build.
 */
public final class CudaPreloadListener implements LauncherSessionListener {
  @Override
  public void launcherSessionOpened(LauncherSession session) {
    CudaRuntime.preload();
  }
}
