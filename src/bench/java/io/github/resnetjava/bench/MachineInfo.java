package io.github.resnetjava.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.TensorFlow;

/**
 * What the benchmarks ran on, from {@code /proc} and the JVM: CPU model, cores, the vector
 * extensions that decide TensorFlow's kernels, memory, JVM and TensorFlow versions.
 *
 * @param cpuModel {@code model name} of {@code /proc/cpuinfo}, with its {@code cpu family} and
 *     {@code model} numbers (which tell CPU generations apart that share a name)
 * @param cores processors the JVM may use
 * @param vectorFlags the CPU's AVX2, AVX-512 and AMX flags, space-separated
 * @param memoryGib total memory in GiB
 * @param jvm JVM name and version
 * @param tensorFlow TensorFlow's version and the TF Java artifact's
 */
record MachineInfo(
    String cpuModel, int cores, String vectorFlags, long memoryGib, String jvm, String tensorFlow) {
  private static final Set<String> VECTOR_FLAGS =
      Set.of(
          "avx2",
          "fma",
          "avx512f",
          "avx512_vnni",
          "avx512_bf16",
          "amx_tile",
          "amx_bf16",
          "amx_int8");

  /** The machine this JVM runs on. */
  static MachineInfo current() throws IOException {
    List<String> cpuinfo = readLines("/proc/cpuinfo");
    String model =
        field(cpuinfo, "model name")
            + " (CPU family "
            + field(cpuinfo, "cpu family")
            + ", model "
            + field(cpuinfo, "model")
            + ")";
    String flags =
        cpuinfo.stream()
            .filter(l -> l.startsWith("flags"))
            .findFirst()
            .map(l -> l.substring(l.indexOf(':') + 1).strip())
            .orElse("");
    String vector =
        java.util.Arrays.stream(flags.split(" "))
            .filter(VECTOR_FLAGS::contains)
            .sorted()
            .reduce((a, b) -> a + " " + b)
            .orElse("none");
    long memKib =
        readLines("/proc/meminfo").stream()
            .filter(l -> l.startsWith("MemTotal:"))
            .map(l -> l.replaceAll("[^0-9]", ""))
            .mapToLong(Long::parseLong)
            .findFirst()
            .orElse(0);
    String jvm = System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version");
    return new MachineInfo(
        model,
        Runtime.getRuntime().availableProcessors(),
        vector,
        Math.round(memKib / 1024.0 / 1024.0),
        jvm,
        TensorFlow.version() + " (TF Java " + tfJavaVersion() + ")");
  }

  /** The value of the first {@code /proc/cpuinfo} line named exactly {@code name}. */
  private static String field(List<String> cpuinfo, String name) {
    return cpuinfo.stream()
        .filter(l -> l.indexOf(':') > 0 && l.substring(0, l.indexOf(':')).strip().equals(name))
        .map(l -> l.substring(l.indexOf(':') + 1).strip())
        .findFirst()
        .orElse("unknown");
  }

  /** The version in the {@code tensorflow-core-api-<version>.jar} of the class path. */
  private static String tfJavaVersion() {
    Matcher m =
        Pattern.compile("tensorflow-core-api-([0-9][^/:]*)\\.jar")
            .matcher(System.getProperty("java.class.path"));
    return m.find() ? m.group(1) : "unknown";
  }

  private static List<String> readLines(String file) throws IOException {
    Path path = Path.of(file);
    return Files.isReadable(path) ? Files.readAllLines(path, StandardCharsets.UTF_8) : List.of();
  }
}
