package io.github.resnetjava.server;

import java.lang.management.ManagementFactory;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the memory that TensorFlow has freed back to the operating system, every few seconds while
 * requests come in, through HotSpot's {@code System.trim_native_heap} diagnostic command (glibc's
 * {@code malloc_trim}; what {@code -XX:TrimNativeHeapInterval} does, for the whole process).
 *
 * <p>TensorFlow allocates every tensor of a session run through glibc's malloc, whose per-thread
 * arenas keep freed memory for reuse instead of returning it. As batch sizes and thread
 * interleavings vary, the arenas grow towards the worst case they have met, so a serving process's
 * RSS creeps up for thousands of requests after its warm-up (+9% over 10,000 ResNet-18 requests
 * without trimming, docs/benchmarks.md) although the Java heap and the JVM's own memory stay flat.
 * Trimming returns the freed pages: a trim every second held that growth to +4% (39-50 images/s
 * against 44-58 untrimmed, on a machine too loaded to tell the two apart), where making glibc
 * {@code mmap} every large tensor instead ({@code MALLOC_MMAP_THRESHOLD_}) held it to +2% but cost
 * about three quarters of the throughput.
 *
 * <p>Where the JVM has no such command (HotSpot before 17.0.9, other JVMs), or the host forbids it,
 * the trimmer logs that once and does nothing.
 */
final class NativeHeapTrimmer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NativeHeapTrimmer.class);
  private static final String OPERATION = "systemTrimNativeHeap";

  private final ScheduledExecutorService timer;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong trims = new AtomicLong();
  private long requestsAtLastTrim;

  /**
   * Starts trimming every {@code intervalMillis} milliseconds in which a request was served.
   *
   * @param intervalMillis the interval; 0 turns trimming off
   */
  NativeHeapTrimmer(long intervalMillis) {
    if (intervalMillis < 0) {
      throw new IllegalArgumentException("intervalMillis must be >= 0; got " + intervalMillis);
    }
    if (intervalMillis == 0 || !available()) {
      timer = null;
      return;
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "native-heap-trimmer");
              thread.setDaemon(true);
              return thread;
            });
    timer.scheduleWithFixedDelay(
        this::trimIfUsed, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
  }

  /** Notes that a request was served since the last trim. */
  void served() {
    requests.incrementAndGet();
  }

  /** Whether trims are scheduled (false where the JVM cannot trim or the interval is 0). */
  boolean active() {
    return timer != null;
  }

  /** The scheduled trims done so far. */
  long trims() {
    return trims.get();
  }

  /** Trims now, whether or not requests came in; false if the JVM cannot. */
  static boolean trim() {
    try {
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      server.invoke(
          diagnosticCommands(),
          OPERATION,
          new Object[] {new String[0]},
          new String[] {String[].class.getName()});
      return true;
    } catch (JMException | RuntimeException e) {
      LOG.debug("Could not trim the native heap: {}", e.toString());
      return false;
    }
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  private void trimIfUsed() {
    long now = requests.get();
    if (now != requestsAtLastTrim) {
      requestsAtLastTrim = now;
      if (trim()) {
        trims.incrementAndGet();
      }
    }
  }

  private static boolean available() {
    try {
      boolean found = false;
      for (var operation :
          ManagementFactory.getPlatformMBeanServer()
              .getMBeanInfo(diagnosticCommands())
              .getOperations()) {
        found |= operation.getName().equals(OPERATION);
      }
      if (!found) {
        LOG.info(
            "This JVM cannot trim the native heap (System.trim_native_heap needs HotSpot 17.0.9"
                + " or later): the server's RSS may creep up as glibc keeps freed memory");
      }
      return found;
    } catch (JMException | RuntimeException e) {
      LOG.info("Cannot reach the JVM's diagnostic commands, so no native heap trimming: {}", e);
      return false;
    }
  }

  private static ObjectName diagnosticCommands() throws JMException {
    return new ObjectName("com.sun.management:type=DiagnosticCommand");
  }
}
