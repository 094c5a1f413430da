package io.github.resnetjava.gpu;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/** Finds out whether TensorFlow in this process can run ops on a GPU, and if not, why not. */
final class GpuProbe {
  /** The device node the NVIDIA driver creates for the first GPU. */
  static final Path FIRST_GPU_NODE = Path.of("/dev/nvidia0");

  /** A library only TensorFlow's GPU natives ({@code linux-x86_64-gpu}) contain. */
  private static final String GPU_NATIVES_RESOURCE =
      "org/tensorflow/internal/c_api/linux-x86_64-gpu/libjnitensorflow.so";

  private GpuProbe() {}

  /** The first GPU as TensorFlow names it. */
  static DeviceSpec firstGpu() {
    return DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.GPU).deviceIndex(0).build();
  }

  /**
   * Empty if TensorFlow can run an op pinned to {@code /device:GPU:0}; otherwise the reason it
   * cannot, in words a skipped test can report.
   */
  static Optional<String> whyNoGpu() {
    if (!Files.exists(FIRST_GPU_NODE)) {
      return Optional.of(FIRST_GPU_NODE + " does not exist (no NVIDIA GPU or driver visible here)");
    }
    if (GpuProbe.class.getClassLoader().getResource(GPU_NATIVES_RESOURCE) == null) {
      return Optional.of("TensorFlow's CPU natives are on the class path; run with -Pgpu");
    }
    if (!CudaRuntime.preload()) {
      return Optional.of("the bundled CUDA libraries did not load (see the warning above)");
    }
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph).withDevice(firstGpu());
      Operand<TFloat32> sum = tf.math.add(tf.constant(1f), tf.constant(2f));
      // Without soft placement an op pinned to a missing device fails instead of moving to the CPU.
      ConfigProto strict = ConfigProto.newBuilder().setAllowSoftPlacement(false).build();
      try (Session session = new Session(graph, strict)) {
        session.runner().fetch(sum).run().close();
        return Optional.empty();
      } catch (TensorFlowException e) {
        return Optional.of("TensorFlow registered no GPU device: " + firstLine(e.getMessage()));
      }
    }
  }

  private static String firstLine(String message) {
    return message == null ? "(no message)" : message.lines().findFirst().orElse("");
  }
}
