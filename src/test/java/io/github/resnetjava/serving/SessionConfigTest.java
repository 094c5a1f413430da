package io.github.resnetjava.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.RewriterConfig;

/** Session settings reach the ConfigProto unchanged and nonsense is refused. */
class SessionConfigTest {

  @Test
  void theDefaultsGiveEachOpEveryProcessorRunTwoOpsAtOnceInFloat32() {
    SessionConfig defaults = SessionConfig.defaults();
    assertEquals(Runtime.getRuntime().availableProcessors(), defaults.intraOpThreads());
    assertEquals(2, defaults.interOpThreads());
    assertFalse(defaults.bfloat16());
    assertFalse(defaults.toConfigProto().hasGraphOptions());
  }

  @Test
  void threadCountsBecomeTheConfigProtosParallelismFields() {
    ConfigProto proto = SessionConfig.defaults().withThreads(3, 1).toConfigProto();
    assertEquals(3, proto.getIntraOpParallelismThreads());
    assertEquals(1, proto.getInterOpParallelismThreads());
    assertEquals(
        ConfigProto.getDefaultInstance(), SessionConfig.tensorFlowDefaults().toConfigProto());
  }

  @Test
  void bfloat16TurnsOnOneDnnAutoMixedPrecisionAndNothingElse() {
    SessionConfig config = SessionConfig.defaults().withBfloat16(true);
    assertTrue(config.bfloat16());
    RewriterConfig rewrites = config.toConfigProto().getGraphOptions().getRewriteOptions();
    assertEquals(RewriterConfig.Toggle.ON, rewrites.getAutoMixedPrecisionOnednnBfloat16());
    assertEquals(
        RewriterConfig.newBuilder()
            .setAutoMixedPrecisionOnednnBfloat16(RewriterConfig.Toggle.ON)
            .build(),
        rewrites);
    assertEquals(SessionConfig.defaults(), config.withBfloat16(false));
  }

  @Test
  void negativeThreadCountsAreRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new SessionConfig(-1, 1, false));
    assertTrue(e.getMessage().contains("0 lets TensorFlow choose"), e.getMessage());
  }
}
