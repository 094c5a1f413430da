package io.github.resnetjava.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The native heap trimmer: this JVM (HotSpot 17.0.9 or later, as the build requires) can trim;
 * scheduled trims happen only after requests were served, and none once closed or turned off.
 */
class NativeHeapTrimmerTest {
  @Test
  void thisJvmCanTrimTheNativeHeap() {
    assertTrue(NativeHeapTrimmer.trim(), "System.trim_native_heap is missing from this JVM");
  }

  @Test
  void trimsOnlyAfterRequestsWereServed() throws InterruptedException {
    try (NativeHeapTrimmer trimmer = new NativeHeapTrimmer(5)) {
      assertTrue(trimmer.active());
      Thread.sleep(50);
      assertEquals(0, trimmer.trims(), "trimmed with no request served");
      trimmer.served();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (trimmer.trims() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertEquals(1, trimmer.trims());
      Thread.sleep(50);
      assertEquals(1, trimmer.trims(), "trimmed again with no new request");
    }
  }

  @Test
  void anIntervalOfZeroTurnsTrimmingOff() {
    try (NativeHeapTrimmer trimmer = new NativeHeapTrimmer(0)) {
      assertFalse(trimmer.active());
      trimmer.served();
      assertEquals(0, trimmer.trims());
    }
  }
}
