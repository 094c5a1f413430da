package io.github.resnetjava.serving;

import io.github.resnetjava.runtime.OneDnnPolicy;
import io.github.resnetjava.runtime.TensorFlowStartup;
import java.nio.file.Path;
import java.util.Random;

/**
 * The child JVM of {@link TensorFlowStartupChoiceTest}: a host application that uses the library
 * and nothing else. It asks for the workloads named after the model directory, if any (before
 * anything loads TensorFlow), then loads the Classifier and classifies one image, so that
 * TensorFlow has loaded and run its kernels with whatever backend the process ended up with.
 */
public final class StartupChild {
  private StartupChild() {}

  /** {@code args}: a SavedModel directory, then {@link OneDnnPolicy.Workload} names. */
  public static void main(String[] args) {
    for (int i = 1; i < args.length; i++) {
      TensorFlowStartup.prepareFor(OneDnnPolicy.Workload.valueOf(args[i]));
    }
    try (Classifier classifier = Classifier.load(Path.of(args[0]))) {
      int side = classifier.resizeDim();
      float[] image = new float[side * side * 3];
      Random random = new Random(42);
      for (int i = 0; i < image.length; i++) {
        image[i] = random.nextFloat() * 200f - 100f;
      }
      System.out.println("top-1 " + classifier.classify(image, 1, 1).get(0).get(0).classIndex());
    }
  }
}
