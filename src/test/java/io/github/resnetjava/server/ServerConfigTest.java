package io.github.resnetjava.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resnetjava.serving.SessionConfig;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The with-methods of {@link ServerConfig}: each changes only the components it names, and the
 * result is validated like a config made with the canonical constructor.
 */
class ServerConfigTest {
  /** A config whose every component differs from the defaults and from the values set below. */
  private static final ServerConfig BASE =
      new ServerConfig(
          Path.of("models"),
          "0.0.0.0",
          9000,
          VersionPolicy.ALL,
          7,
          null,
          1000,
          2000,
          30,
          4000,
          SessionConfig.defaults().withThreads(1, 1),
          3,
          5);

  /**
   * Asserts that {@code changed} has the {@code expected} values and every other component of
   * {@link #BASE}, reading the components through the record's own accessors.
   */
  private static void assertChangedOnly(ServerConfig changed, Map<String, Object> expected)
      throws ReflectiveOperationException {
    RecordComponent[] components = ServerConfig.class.getRecordComponents();
    assertTrue(
        Arrays.stream(components)
            .map(RecordComponent::getName)
            .toList()
            .containsAll(expected.keySet()),
        "unknown component in " + expected.keySet());
    for (RecordComponent component : components) {
      Object want =
          expected.containsKey(component.getName())
              ? expected.get(component.getName())
              : component.getAccessor().invoke(BASE);
      assertEquals(want, component.getAccessor().invoke(changed), component.getName());
    }
  }

  @Test
  void eachWithMethodChangesOnlyItsComponents() throws ReflectiveOperationException {
    BatchingParameters batching = new BatchingParameters(8, 2000, 100, 1);
    SessionConfig session = SessionConfig.defaults();
    assertChangedOnly(
        BASE.withAddress("127.0.0.1", 8501), Map.of("host", "127.0.0.1", "restPort", 8501));
    assertChangedOnly(BASE.withBatching(batching), Map.of("batching", batching));
    assertChangedOnly(
        BASE.withVersions(VersionPolicy.LATEST, 0),
        Map.of("versionPolicy", VersionPolicy.LATEST, "pollSeconds", 0L));
    assertChangedOnly(
        BASE.withLimits(11, 22, 33),
        Map.of("maxRequestBytes", 11L, "idleTimeoutMillis", 22L, "minRequestBytesPerSecond", 33L));
    assertChangedOnly(
        BASE.withSession(session, 44),
        Map.of("sessionConfig", session, "shutdownGraceMillis", 44L));
    assertChangedOnly(BASE.withRunLimits(8, 0), Map.of("maxConcurrentRuns", 8, "maxQueuedRuns", 0));
  }

  @Test
  void aWithMethodValidatesAndNamesTheBadComponent() {
    IllegalArgumentException port =
        assertThrows(IllegalArgumentException.class, () -> BASE.withAddress("::1", 70000));
    assertTrue(port.getMessage().contains("restPort"), port.getMessage());
    IllegalArgumentException runs =
        assertThrows(IllegalArgumentException.class, () -> BASE.withRunLimits(0, 1));
    assertTrue(runs.getMessage().contains("maxConcurrentRuns"), runs.getMessage());
    assertThrows(IllegalArgumentException.class, () -> BASE.withSession(null, 1));
  }
}
