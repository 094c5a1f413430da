package io.github.resnetjava.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.resnetjava.model.DataFormat;
import io.github.resnetjava.model.ResNetModel;
import io.github.resnetjava.testing.TensorData;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;

/**
 * The same ResNet on the same weights gives the same logits on the GPU as on the CPU. Skipped, with
 * the reason, unless TensorFlow can place ops on a GPU (a {@code -Pgpu} build on a machine with an
 * NVIDIA GPU; see docs/gpu.md).
 */
class GpuForwardPassTest {
  private static final int BATCH = 2;
  private static final int SIDE = 64;
  private static final int CLASSES = 10;
  private static final long SEED = 7;

  /** cuDNN sums in another order than the CPU kernels; TF32 is off (NVIDIA_TF32_OVERRIDE=0). */
  private static final float TOLERANCE = 1e-3f;

  private static Optional<String> whyNoGpu;

  /** Per test rather than per class, so each skipped test is reported with the reason. */
  @BeforeEach
  void requireGpu() {
    if (whyNoGpu == null) {
      whyNoGpu = GpuProbe.whyNoGpu();
    }
    assumeTrue(whyNoGpu.isEmpty(), () -> "no GPU visible: " + whyNoGpu.orElse(""));
  }

  @ParameterizedTest
  @EnumSource(DataFormat.class)
  void gpuLogitsMatchCpuLogitsOnTheSameWeights(DataFormat format, @TempDir Path dir) {
    boolean first = format == DataFormat.CHANNELS_FIRST;
    Shape shape = first ? Shape.of(BATCH, 3, SIDE, SIDE) : Shape.of(BATCH, SIDE, SIDE, 3);
    float[] images = TensorData.randomValues(Math.toIntExact(shape.size()), 11);
    try (Graph graph = new Graph();
        TFloat32 imageTensor = TensorData.tensor(shape, images)) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> input = tf.placeholder(TFloat32.class, Placeholder.shape(shape));
      Operand<TFloat32> logits =
          new ResNetModel(tf, SIDE, SIDE, 18, CLASSES, format, SEED).modelLayers(input, false);
      String checkpoint = dir.resolve("variables").toString();

      float[] cpuLogits;
      ConfigProto cpuOnly = ConfigProto.newBuilder().putDeviceCount("GPU", 0).build();
      try (Session cpu = new Session(graph, cpuOnly)) {
        cpuLogits = TensorData.fetch(cpu, logits, input, imageTensor);
        // The GPU session restores these values rather than rerunning the random initializers,
        // whose CPU and GPU kernels need not agree.
        cpu.save(checkpoint);
      }

      float[] gpuLogits;
      RunOptions trace =
          RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();
      try (Session gpu = new Session(graph)) {
        gpu.restore(checkpoint);
        try (Result result =
            gpu.runner()
                .feed(input, imageTensor)
                .fetch(logits)
                .setOptions(trace)
                .runAndFetchMetadata()) {
          gpuLogits = TensorData.values(result.get(0));
          assertTrue(
              ranConvolutionOnGpu(result.getMetadata().orElseThrow()),
              "the GPU session ran no Conv2D on a GPU device");
        }
      }

      float scale = Math.max(1f, maxAbs(cpuLogits));
      assertArrayEquals(cpuLogits, gpuLogits, TOLERANCE * scale);
    }
  }

  private static boolean ranConvolutionOnGpu(RunMetadata metadata) {
    for (DeviceStepStats device : metadata.getStepStats().getDevStatsList()) {
      if (device.getDevice().contains("GPU")
          && device.getNodeStatsList().stream()
              .anyMatch(node -> node.getNodeName().endsWith("/Conv2D"))) {
        return true;
      }
    }
    return false;
  }

  private static float maxAbs(float[] values) {
    float max = 0;
    for (float v : values) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }
}
