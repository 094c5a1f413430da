package io.github.resnetjava.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.resnetjava.export.SavedModelExporter;
import io.github.resnetjava.model.DataFormat;
import io.github.resnetjava.runtime.CpuAllocatorPolicy;
import io.github.resnetjava.runtime.OneDnnPolicy;
import io.github.resnetjava.testing.ServingFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What TensorFlow actually runs in a host JVM that loads a Classifier, with no launcher around it:
 * each case starts a child JVM ({@link StartupChild}) with oneDNN's own trace on ({@code
 * ONEDNN_VERBOSE=1}, one line per primitive executed) and reads which kernels ran. With oneDNN on,
 * TensorFlow runs its convolutions as oneDNN {@code convolution} primitives; with it off, as Eigen
 * convolutions, which trace no such line (their matrix products may show as {@code gemm_api}).
 */
class TensorFlowStartupChoiceTest {
  private static final String CONVOLUTION_TRACE = "onednn_verbose,primitive,exec,cpu,convolution";

  /**
   * What {@code ProcessState::GetCPUAllocator} logs at verbosity 2 when it makes a BFC allocator.
   */
  private static final String BFC_LOG = "Using BFCAllocator";

  @TempDir static Path modelsDir;

  private static Path savedModel;

  @BeforeAll
  static void exportModel() {
    try (ServingFixture fixture = ServingFixture.create(DataFormat.CHANNELS_LAST)) {
      savedModel =
          SavedModelExporter.into(modelsDir, "resnet").export(fixture.session, fixture.serving, 1);
    }
  }

  /** The child's output (stdout and stderr), after checking it classified. */
  private static String runChild(
      Map<String, String> environment, List<String> jvmArgs, String... workloads)
      throws IOException, InterruptedException {
    assumeTrue(
        System.getProperty("os.name").startsWith("Linux")
            && System.getProperty("os.arch").equals("amd64"),
        "the policy sets the variable on Linux only, and oneDNN's trace is checked on x86-64 only");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(StartupChild.class.getName());
    command.add(savedModel.toString());
    command.addAll(List.of(workloads));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove(OneDnnPolicy.ENVIRONMENT_VARIABLE);
    builder.environment().remove(CpuAllocatorPolicy.ENVIRONMENT_VARIABLE);
    builder.environment().put("ONEDNN_VERBOSE", "1");
    builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "0");
    builder.environment().put("TF_CPP_VMODULE", "process_state=2");
    builder.environment().putAll(environment);
    Process child = builder.start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not exit");
    assertEquals(0, child.exitValue(), output);
    assertTrue(output.contains("top-1 "), output);
    return output;
  }

  @Test
  void aHostJvmThatLoadsAClassifierFirstRunsWithoutOneDnn() throws Exception {
    String output = runChild(Map.of(), List.of());
    assertFalse(output.contains(CONVOLUTION_TRACE), output);
  }

  @Test
  void aHostJvmThatLoadsAClassifierAllocatesWithBfc() throws Exception {
    String output = runChild(Map.of(), List.of());
    assertTrue(output.contains(BFC_LOG), output);
  }

  @Test
  void thePropertyLeavesTensorFlowsDefaultAllocator() throws Exception {
    String output = runChild(Map.of(), List.of("-D" + CpuAllocatorPolicy.PROPERTY + "=tensorflow"));
    assertFalse(output.contains(BFC_LOG), output);
  }

  @Test
  void theUsersAllocatorVariableIsKept() throws Exception {
    String output = runChild(Map.of(CpuAllocatorPolicy.ENVIRONMENT_VARIABLE, "false"), List.of());
    assertFalse(output.contains(BFC_LOG), output);
  }

  @Test
  void thePropertyTurnsOneDnnOnForInference() throws Exception {
    String output = runChild(Map.of(), List.of("-D" + OneDnnPolicy.PROPERTY + "=on"));
    assertTrue(output.contains(CONVOLUTION_TRACE), output);
  }

  @Test
  void inferenceAfterTrainingKeepsTheFirstChoiceAndWarnsOnce() throws Exception {
    String output =
        runChild(
            Map.of(),
            List.of("-D" + OneDnnPolicy.PROPERTY + "=auto"),
            "TRAINING",
            "BFLOAT16_INFERENCE",
            "INFERENCE",
            "INFERENCE");
    List<String> warnings =
        output
            .lines()
            .filter(line -> line.contains("WARN") && line.contains("OneDnnPolicy"))
            .toList();
    assertEquals(1, warnings.size(), output);
    assertTrue(warnings.get(0).contains(OneDnnPolicy.ENVIRONMENT_VARIABLE + "=0"), output);
  }
}
