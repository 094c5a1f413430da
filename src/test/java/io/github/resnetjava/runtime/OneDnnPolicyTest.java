package io.github.resnetjava.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.resnetjava.runtime.OneDnnPolicy.Decision;
import io.github.resnetjava.runtime.OneDnnPolicy.Source;
import io.github.resnetjava.runtime.OneDnnPolicy.Workload;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The policy's decisions against a fake process environment (the real one:
 * TensorFlowStartupChoiceTest).
 */
class OneDnnPolicyTest {
  private static final String VARIABLE = OneDnnPolicy.ENVIRONMENT_VARIABLE;

  private final FakeProcessEnvironment environment = new FakeProcessEnvironment();
  private final OneDnnPolicy policy = new OneDnnPolicy(() -> environment);

  @Test
  void inferenceFirstTurnsOneDnnOffForTheProcess() {
    Decision decision = policy.request(Workload.INFERENCE, null);
    assertEquals(new Decision(Workload.INFERENCE, Optional.of("0"), Source.WORKLOAD), decision);
    assertEquals("0", environment.variables.get(VARIABLE));
    assertEquals(decision, policy.request(Workload.TRAINING, null));
    assertEquals(1, environment.sets);
  }

  @Test
  void trainingFirstLeavesTensorFlowsChoice() {
    Decision decision = policy.request(Workload.TRAINING, "auto");
    assertEquals(new Decision(Workload.TRAINING, Optional.empty(), Source.WORKLOAD), decision);
    assertEquals(decision, policy.request(Workload.INFERENCE, null));
    assertEquals(Map.of(), environment.variables);
  }

  @Test
  void bfloat16InferenceLeavesTensorFlowsChoice() {
    assertEquals(Optional.empty(), policy.request(Workload.BFLOAT16_INFERENCE, null).value());
    assertEquals(Map.of(), environment.variables);
  }

  @Test
  void theUsersVariableDecidesAndIsKept() {
    environment.variables.put(VARIABLE, "1");
    Decision decision = policy.request(Workload.INFERENCE, "off");
    assertEquals(new Decision(Workload.INFERENCE, Optional.of("1"), Source.ENVIRONMENT), decision);
    assertEquals("1", environment.variables.get(VARIABLE));
    assertEquals(0, environment.sets);
  }

  @Test
  void thePropertyOverridesThePolicy() {
    assertEquals(
        new Decision(Workload.INFERENCE, Optional.of("1"), Source.PROPERTY),
        new OneDnnPolicy(FakeProcessEnvironment::new).request(Workload.INFERENCE, "on"));
    assertEquals(
        new Decision(Workload.TRAINING, Optional.of("0"), Source.PROPERTY),
        new OneDnnPolicy(FakeProcessEnvironment::new).request(Workload.TRAINING, " OFF "));
    Decision untouched = policy.request(Workload.INFERENCE, "tensorflow");
    assertEquals(new Decision(Workload.INFERENCE, Optional.empty(), Source.PROPERTY), untouched);
    assertEquals(0, environment.sets);
  }

  @Test
  void anUnknownPropertyValueFallsBackToThePolicy() {
    assertEquals(Optional.of("0"), policy.request(Workload.INFERENCE, "fast").value());
  }

  @Test
  void aTensorFlowLoadedEarlierIsLeftAlone() {
    environment.tensorFlowLoaded = true;
    Decision decision = policy.request(Workload.INFERENCE, null);
    assertEquals(new Decision(Workload.INFERENCE, Optional.empty(), Source.UNCHANGED), decision);
    assertEquals(0, environment.sets);
  }

  @Test
  void aFailedSetenvLeavesTensorFlowsChoice() {
    environment.setenvFails = true;
    assertEquals(Source.UNCHANGED, policy.request(Workload.INFERENCE, null).source());
  }

  @Test
  void withoutLibcNothingIsSetAndNothingFails() {
    assertEquals(
        Source.UNCHANGED, new OneDnnPolicy(() -> null).request(Workload.INFERENCE, null).source());
  }

  @Test
  void aNullWorkloadIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> policy.request(null, null));
  }
}
