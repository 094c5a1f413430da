package io.github.resnetjava.runtime;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * The process state {@link OneDnnPolicy} and {@link CpuAllocatorPolicy} read and change: the C
 * environment (what TensorFlow's {@code getenv} sees, which {@code System.getenv}'s copy taken at
 * JVM start-up may not) and whether TensorFlow's natives are loaded yet. An interface so the
 * policies' decisions can be tested without touching the test JVM's environment.
 */
interface ProcessEnvironment {
  /** What {@link #setBeforeTensorFlowLoads} did. */
  enum Outcome {
    /** The variable was set already (by the user): kept as it is. */
    ALREADY_SET,
    /** Set now, before TensorFlow could read it. */
    SET,
    /** Not set: TensorFlow's natives are loaded and may have read it already. */
    TENSORFLOW_LOADED,
    /** Not set: {@code setenv} failed. */
    FAILED
  }

  /** The variable's value in the C environment, empty where unset. */
  Optional<String> get(String name);

  /**
   * Sets the variable unless it is set ({@code setenv(name, value, 0)}).
   *
   * @return false where it could not be set
   */
  boolean setIfUnset(String name, String value);

  /** Whether TensorFlow's natives are mapped into this process (they read the variable once). */
  boolean tensorFlowLoaded();

  /**
   * Sets a variable TensorFlow reads once per process, unless the user set it or TensorFlow may
   * have read it already: the one step both policies take.
   */
  default Outcome setBeforeTensorFlowLoads(String name, String value) {
    if (get(name).isPresent()) {
      return Outcome.ALREADY_SET;
    }
    if (tensorFlowLoaded()) {
      return Outcome.TENSORFLOW_LOADED;
    }
    return setIfUnset(name, value) ? Outcome.SET : Outcome.FAILED;
  }

  /**
   * {@link #libc()}, or null (logged at DEBUG) where it cannot be had: the policies then set
   * nothing and TensorFlow decides.
   */
  static ProcessEnvironment libcOrNull() {
    try {
      return libc();
    } catch (UnsupportedOperationException | LinkageError e) {
      LoggerFactory.getLogger(ProcessEnvironment.class)
          .debug(
              "Cannot set environment variables in this process ({}); TensorFlow reads its own"
                  + " defaults",
              e.toString());
      return null;
    }
  }

  /**
   * This process's environment through libc (JNA).
   *
   * @throws UnsupportedOperationException off Linux, where neither libc's name nor {@code
   *     /proc/self/maps} (to tell whether TensorFlow is loaded) can be relied on
   * @throws LinkageError where JNA or libc cannot be loaded
   */
  static ProcessEnvironment libc() {
    if (!Platform.isLinux()) {
      throw new UnsupportedOperationException("not Linux (" + System.getProperty("os.name") + ")");
    }
    return new Libc(Native.load(Platform.C_LIBRARY_NAME, Libc.CLibrary.class));
  }

  /** The C environment of a Linux process. */
  final class Libc implements ProcessEnvironment {
    /** The two libc functions used; {@code getenv} returns a pointer into the environment. */
    interface CLibrary extends Library {
      String getenv(String name);

      int setenv(String name, String value, int overwrite);
    }

    /** Part of the file names of {@code libtensorflow_cc.so.2} and {@code _framework.so.2}. */
    private static final String TENSORFLOW_LIBRARY = "libtensorflow";

    private final CLibrary c;

    private Libc(CLibrary c) {
      this.c = c;
    }

    @Override
    public Optional<String> get(String name) {
      return Optional.ofNullable(c.getenv(name));
    }

    @Override
    public boolean setIfUnset(String name, String value) {
      return c.setenv(name, value, 0) == 0;
    }

    @Override
    public boolean tensorFlowLoaded() {
      try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"), StandardCharsets.UTF_8)) {
        return maps.anyMatch(line -> line.contains(TENSORFLOW_LIBRARY));
      } catch (IOException | RuntimeException e) {
        // Unknown counts as loaded: setting the variable under a running TensorFlow could leave
        // parts of it on each backend.
        return true;
      }
    }
  }
}
