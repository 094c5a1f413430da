package io.github.resnetjava.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/** TensorFlow's thread pools are sized once per process, and a differing later load is told so. */
class ProcessThreadPoolsTest {

  @Test
  void aLaterLoadWithOtherThreadCountsIsWarnedNamingBoth() {
    ProcessThreadPools pools = new ProcessThreadPools();
    SessionConfig first = new SessionConfig(4, 2, false);
    assertEquals(Optional.empty(), pools.recordLoad(first));
    assertEquals(Optional.empty(), pools.recordLoad(first.withBfloat16(true)));
    String warning = pools.recordLoad(new SessionConfig(1, 1, false)).orElseThrow();
    assertTrue(
        warning.startsWith("SessionConfig threads (intra-op 1, inter-op 1) have no effect"),
        warning);
    assertTrue(warning.contains("loaded with intra-op 4, inter-op 2"), warning);
    assertEquals(Optional.empty(), pools.recordLoad(first));
  }

  @Test
  void aSessionAfterTheFirstStartsNoThreadsForItsOwnThreadCounts() throws IOException {
    // What SessionConfig documents: were the pools per session, the second session would run
    // 24 intra-op and 16 inter-op threads of its own.
    long first = threadsWhileRunning(SessionConfig.tensorFlowDefaults().toConfigProto());
    ConfigProto later = new SessionConfig(24, 16, false).toConfigProto();
    long started = threadsWhileRunning(later) - first;
    assertTrue(started < 8, started + " threads started");
    // The count does see pools a session owns: TF's use_per_session_threads gives one its own
    // 16 inter-op threads.
    long owned =
        threadsWhileRunning(later.toBuilder().setUsePerSessionThreads(true).build()) - first;
    assertTrue(owned >= 16, owned + " threads started");
  }

  /**
   * The native threads of this process while a session with {@code config} is open and has run.
   * TensorFlow's pool threads keep the process name ({@code java} in {@code /proc/self/task/<id>/
   * comm}); threads the JVM starts carry their Java names, so threads of earlier tests that are
   * still ending (thread pools, servers) do not disturb the count.
   */
  private static long threadsWhileRunning(ConfigProto config) throws IOException {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> product =
          tf.linalg.matMul(
              tf.fill(tf.constant(new int[] {256, 256}), tf.constant(1f)),
              tf.fill(tf.constant(new int[] {256, 256}), tf.constant(2f)));
      try (Session session = new Session(graph, config)) {
        session.runner().fetch(product).run().close();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
          return tasks.filter(ProcessThreadPoolsTest::isNativeThread).count();
        }
      }
    }
  }

  private static boolean isNativeThread(Path task) {
    try {
      return Files.readString(task.resolve("comm")).trim().equals("java");
    } catch (IOException e) {
      return false; // the thread ended while listed
    }
  }
}
