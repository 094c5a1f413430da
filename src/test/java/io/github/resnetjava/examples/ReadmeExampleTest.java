package io.github.resnetjava.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.resnetjava.model.ResNetModel;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** The README's Java example, compiled and run as is, so the README cannot rot. */
class ReadmeExampleTest {

  @Test
  void readmeExampleBuildsAResNet50AndRunsAForwardPass() {
    float[] pixels = new float[224 * 224 * 3]; // one 224x224 RGB image, NHWC
    float[] logits;
    // README example: begin
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> images =
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 224, 224, 3)));
      ResNetModel model = new ResNetModel(tf, 256, 224, 50, 1000);
      Operand<TFloat32> output = model.modelLayers(images, false);
      try (Session session = new Session(graph);
          TFloat32 batch = TFloat32.tensorOf(Shape.of(1, 224, 224, 3), DataBuffers.of(pixels));
          var result = session.runner().feed(images, batch).fetch(output).run()) {
        logits = new float[1000];
        ((TFloat32) result.get(0)).copyTo(DataBuffers.of(logits));
      }
    }
    // README example: end
    assertEquals(1000, logits.length);
    // A zero image through fresh batch norms (moving mean 0, variance 1) and zero biases: every
    // conv sees only zeros, so the logits are exactly the zero-initialized logits bias.
    for (float v : logits) {
      assertEquals(0f, v, 0f);
    }
  }
}
