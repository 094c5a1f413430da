package io.github.resnetjava.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resnetjava.export.SavedModelExporter;
import io.github.resnetjava.export.ServingGraph;
import io.github.resnetjava.model.DataFormat;
import io.github.resnetjava.model.ResNetModel;
import io.github.resnetjava.serving.Classifier;
import io.github.resnetjava.serving.Prediction;
import io.github.resnetjava.testing.TestImages;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
    // README example: begin
    float[] pixels = new float[224 * 224 * 3]; // one 224x224 RGB image, NHWC
    float[] logits = new float[1000];
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> images =
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 224, 224, 3)));
      ResNetModel model = new ResNetModel(tf, 256, 224, 50, 1000);
      Operand<TFloat32> output = model.modelLayers(images, false);
      try (Session session = new Session(graph);
          TFloat32 batch = TFloat32.tensorOf(Shape.of(1, 224, 224, 3), DataBuffers.of(pixels));
          var result = session.runner().feed(images, batch).fetch(output).run()) {
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

  @Test
  void readmeExportAndServeExampleRoundTrips(@TempDir Path models) throws Exception {
    byte[] jpegOrPng =
        TestImages.encode(
            TestImages.pattern(57, 41, java.awt.image.BufferedImage.TYPE_INT_RGB, 1), "png");
    // README export example: begin
    try (Graph graph = new Graph()) {
      ResNetModel model =
          new ResNetModel(Ops.create(graph), 40, 32, 18, 10, DataFormat.CHANNELS_LAST, 42L);
      ServingGraph serving = ServingGraph.build(model); // inference graph + both signatures
      try (Session session = new Session(graph)) {
        session.initialize();
        SavedModelExporter.into(models, "tiny").withOverwrite(true).export(session, serving, 1);
      }
    }
    try (Classifier classifier = Classifier.load(models.resolve("tiny"))) {
      List<Prediction> top5 = classifier.classifyEncoded(jpegOrPng, 5);
      top5.forEach(
          p -> System.out.println(p.classIndex() + " " + p.label() + " " + p.probability()));
      // README export example: end
      assertEquals(5, top5.size());
      double sum = 0;
      for (int i = 0; i < top5.size(); i++) {
        sum += top5.get(i).probability();
        if (i > 0) {
          assertTrue(top5.get(i - 1).probability() >= top5.get(i).probability(), "sorted");
        }
      }
      assertTrue(sum > 0 && sum <= 1.0001, "probabilities of 5 of 10 classes: " + sum);
    }
  }
}
