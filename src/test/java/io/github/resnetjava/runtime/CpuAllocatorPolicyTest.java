package io.github.resnetjava.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The allocator policy's decisions against a fake process environment (the real one: {@code
 * TensorFlowStartupChoiceTest}, which reads TensorFlow's own log of the allocator it made).
 */
class CpuAllocatorPolicyTest {
  private static final String VARIABLE = CpuAllocatorPolicy.ENVIRONMENT_VARIABLE;

  private final FakeProcessEnvironment environment = new FakeProcessEnvironment();
  private final CpuAllocatorPolicy policy = new CpuAllocatorPolicy(() -> environment);

  @Test
  void bfcIsSetOnceForTheProcess() {
    assertEquals(Optional.of("true"), policy.request(null));
    assertEquals(Map.of(VARIABLE, "true"), environment.variables);
    environment.variables.clear();
    assertEquals(Optional.of("true"), policy.request("tensorflow"), "decided on the first call");
    assertEquals(1, environment.sets);
    assertEquals(Map.of(), environment.variables);
  }

  @Test
  void theUsersVariableIsKept() {
    environment.variables.put(VARIABLE, "false");
    assertEquals(Optional.of("false"), policy.request("bfc"));
    assertEquals("false", environment.variables.get(VARIABLE));
    assertEquals(0, environment.sets);
  }

  @Test
  void thePropertyCanLeaveTensorFlowsDefault() {
    assertEquals(Optional.empty(), policy.request(" TensorFlow "));
    assertEquals(0, environment.sets);
  }

  @Test
  void anUnknownPropertyValueFallsBackToBfc() {
    assertEquals(Optional.of("true"), policy.request("jemalloc"));
  }

  @Test
  void aTensorFlowLoadedEarlierIsLeftAlone() {
    environment.tensorFlowLoaded = true;
    assertEquals(Optional.empty(), policy.request(null));
    assertEquals(0, environment.sets);
  }

  @Test
  void aFailedSetenvLeavesTheDefault() {
    environment.setenvFails = true;
    assertEquals(Optional.empty(), policy.request(null));
  }

  @Test
  void withoutLibcNothingIsSetAndNothingFails() {
    assertEquals(
        Optional.ofNullable(System.getenv(VARIABLE)),
        new CpuAllocatorPolicy(() -> null).request(null));
  }
}
