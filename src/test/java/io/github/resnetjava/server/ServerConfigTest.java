package io.github.resnetjava.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resnetjava.serving.SessionConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The with-methods of {@link ServerConfig}: each changes only the components it names, and the
 * result is validated like a config made with the canonical constructor.
 */
class ServerConfigTest {
  private static final Path MODELS = Path.of("models");

  /** A config whose every component differs from the defaults and from the values set below. */
  private static ServerConfig base() {
    return new ServerConfig(
        MODELS,
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
  }

  @Test
  void eachWithMethodChangesOnlyItsComponents() {
    ServerConfig base = base();
    BatchingParameters batching = new BatchingParameters(8, 2000, 100, 1);
    SessionConfig session = SessionConfig.defaults();
    assertEquals(
        new ServerConfig(
            MODELS,
            "127.0.0.1",
            8501,
            VersionPolicy.ALL,
            7,
            null,
            1000,
            2000,
            30,
            4000,
            base.sessionConfig(),
            3,
            5),
        base.withAddress("127.0.0.1", 8501));
    assertEquals(
        new ServerConfig(
            MODELS,
            "0.0.0.0",
            9000,
            VersionPolicy.ALL,
            7,
            batching,
            1000,
            2000,
            30,
            4000,
            base.sessionConfig(),
            3,
            5),
        base.withBatching(batching));
    assertEquals(
        new ServerConfig(
            MODELS,
            "0.0.0.0",
            9000,
            VersionPolicy.LATEST,
            0,
            null,
            1000,
            2000,
            30,
            4000,
            base.sessionConfig(),
            3,
            5),
        base.withVersions(VersionPolicy.LATEST, 0));
    assertEquals(
        new ServerConfig(
            MODELS,
            "0.0.0.0",
            9000,
            VersionPolicy.ALL,
            7,
            null,
            11,
            22,
            33,
            4000,
            base.sessionConfig(),
            3,
            5),
        base.withLimits(11, 22, 33));
    assertEquals(
        new ServerConfig(
            MODELS, "0.0.0.0", 9000, VersionPolicy.ALL, 7, null, 1000, 2000, 30, 44, session, 3, 5),
        base.withSession(session, 44));
    assertEquals(
        new ServerConfig(
            MODELS,
            "0.0.0.0",
            9000,
            VersionPolicy.ALL,
            7,
            null,
            1000,
            2000,
            30,
            4000,
            base.sessionConfig(),
            8,
            0),
        base.withRunLimits(8, 0));
  }

  @Test
  void aWithMethodValidatesAndNamesTheBadComponent() {
    IllegalArgumentException port =
        assertThrows(IllegalArgumentException.class, () -> base().withAddress("::1", 70000));
    assertTrue(port.getMessage().contains("restPort"), port.getMessage());
    IllegalArgumentException runs =
        assertThrows(IllegalArgumentException.class, () -> base().withRunLimits(0, 1));
    assertTrue(runs.getMessage().contains("maxConcurrentRuns"), runs.getMessage());
    assertThrows(IllegalArgumentException.class, () -> base().withSession(null, 1));
  }
}
