package io.github.resnetjava.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.resnetjava.preprocessing.ImagePreprocessing;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/** The decoder's native objects on its error paths (issue 9, item 13). */
class ImageDecoderTest {
  private static final ImagePreprocessing SIZES = new ImagePreprocessing(8, 8);

  @Test
  void aSessionThatFailsToOpenLeavesItsGraphClosed() {
    AtomicReference<Graph> built = new AtomicReference<>();
    IllegalStateException refused = new IllegalStateException("no session for you");
    int openBefore = ImageDecoder.openCount();

    IllegalStateException thrown =
        assertThrows(
            IllegalStateException.class,
            () ->
                new ImageDecoder(
                    SIZES,
                    graph -> {
                      built.set(graph);
                      throw refused;
                    }));

    assertSame(refused, thrown, "the session's own failure reaches the caller");
    Graph graph = built.get();
    assertNotNull(graph, "the decoding graph was built before the session was opened");
    // TensorFlow Java refuses any use of a closed graph with this exception.
    IllegalStateException useAfterClose =
        assertThrows(IllegalStateException.class, graph::operations);
    assertEquals(true, useAfterClose.getMessage().contains("close()"), useAfterClose.getMessage());
    assertEquals(openBefore, ImageDecoder.openCount(), "a failed decoder counts as open");
  }

  @Test
  void anOpenedDecoderClosesItsGraphAndSessionOnce() {
    AtomicReference<Graph> built = new AtomicReference<>();
    int openBefore = ImageDecoder.openCount();
    ImageDecoder decoder =
        new ImageDecoder(
            SIZES,
            graph -> {
              built.set(graph);
              return new Session(graph);
            });
    assertEquals(openBefore + 1, ImageDecoder.openCount());

    decoder.close();
    decoder.close();

    assertEquals(openBefore, ImageDecoder.openCount(), "close() is idempotent");
    assertThrows(IllegalStateException.class, built.get()::operations);
  }
}
