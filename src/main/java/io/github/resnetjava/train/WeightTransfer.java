package io.github.resnetjava.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Initializes a training graph's model variables from trained weights by TF1 name and shape, as
 * TF1's {@code tf.train.init_from_checkpoint(source, {'/': '/'})} maps a checkpoint of the same
 * architecture onto a new graph: every model variable (weights and batch-norm moving statistics)
 * whose name and shape the source has takes the source's value; the others keep their fresh initial
 * value. The optimizer's momentum slots and the global step are never taken over: a fine-tuning run
 * starts at step 0 with zero momentum.
 *
 * <p>Only the head ({@link FineTuning#isHead}) may stay fresh, as it does when the class count
 * differs; a backbone variable missing from the source or of another shape means another
 * architecture (another depth, image layout or naming), which is an error listing the first
 * mismatches.
 */
public final class WeightTransfer {
  /** Name scope of the placeholders and assignments added to the graph. */
  public static final String SCOPE = "init_from";

  /** How many mismatches an error message lists. */
  static final int MISMATCHES_LISTED = 5;

  private WeightTransfer() {}

  /**
   * A model variable the source could not initialize.
   *
   * @param name its TF1 name
   * @param shape its shape in the model
   * @param sourceShape its shape in the source, or {@code null} if the source has no such name
   */
  public record Mismatch(String name, Shape shape, Shape sourceShape) {
    @Override
    public String toString() {
      return sourceShape == null
          ? name + " " + shape + " (not in the source)"
          : name + " " + shape + " (source: " + sourceShape + ")";
    }
  }

  /**
   * What {@link #apply} did.
   *
   * @param source the source's description
   * @param restored names of the variables initialized from the source, in model order
   * @param fresh the variables left with their fresh initial value, in model order
   */
  public record Report(String source, List<String> restored, List<Mismatch> fresh) {
    /** One line for logs: counts, then the variables left fresh. */
    public String summary() {
      String line =
          String.format(
              Locale.ROOT,
              "Initialized %d of %d variables from %s",
              restored.size(),
              restored.size() + fresh.size(),
              source);
      return fresh.isEmpty()
          ? line + "; none left fresh"
          : line
              + "; freshly initialized: "
              + fresh.stream().map(Mismatch::toString).collect(Collectors.joining(", "));
    }
  }

  /**
   * Opens {@code sourcePath} ({@link WeightSource#open}) and assigns every matching model variable
   * of {@code graph} in {@code session}.
   *
   * @throws IllegalArgumentException if the source cannot be opened, or a backbone variable does
   *     not match it, naming the first mismatches
   */
  public static Report apply(TrainingGraph graph, Session session, Path sourcePath) {
    try (WeightSource source = WeightSource.open(sourcePath)) {
      return apply(graph, session, source);
    }
  }

  /** {@link #apply(TrainingGraph, Session, Path)} from an open source. */
  static Report apply(TrainingGraph graph, Session session, WeightSource source) {
    Map<String, Variable<TFloat32>> variables = graph.model().variables();
    Map<String, Shape> sourceShapes = source.shapes();
    List<String> restored = new ArrayList<>();
    List<Mismatch> fresh = new ArrayList<>();
    List<Mismatch> backboneMismatches = new ArrayList<>();
    variables.forEach(
        (name, variable) -> {
          Shape sourceShape = sourceShapes.get(name);
          if (variable.shape().equals(sourceShape)) {
            restored.add(name);
            return;
          }
          Mismatch mismatch = new Mismatch(name, variable.shape(), sourceShape);
          fresh.add(mismatch);
          if (!FineTuning.isHead(name)) {
            backboneMismatches.add(mismatch);
          }
        });
    if (!backboneMismatches.isEmpty()) {
      TrainingConfig config = graph.config();
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "Cannot initialize a ResNet-%d from %s: %d of its %d backbone variables have no"
                  + " variable of the same name and shape there (is it another depth?). First: %s",
              config.depth(),
              source.description(),
              backboneMismatches.size(),
              variables.size() - variables.keySet().stream().filter(FineTuning::isHead).count(),
              backboneMismatches.stream()
                  .limit(MISMATCHES_LISTED)
                  .map(Mismatch::toString)
                  .collect(Collectors.joining("; "))));
    }
    assign(graph, session, restored, source.read(restored));
    return new Report(source.description(), List.copyOf(restored), List.copyOf(fresh));
  }

  /** Adds a placeholder and an {@code Assign} per variable and runs them all at once. */
  private static void assign(
      TrainingGraph graph, Session session, List<String> names, Map<String, float[]> values) {
    if (names.isEmpty()) {
      return;
    }
    Ops tf = Ops.create(graph.graph()).withSubScope(SCOPE);
    Session.Runner runner = session.runner();
    List<TFloat32> tensors = new ArrayList<>();
    try {
      for (int i = 0; i < names.size(); i++) {
        Variable<TFloat32> variable = graph.model().variables().get(names.get(i));
        Shape shape = variable.shape();
        Placeholder<TFloat32> value =
            tf.withName("value_" + i).placeholder(TFloat32.class, Placeholder.shape(shape));
        TFloat32 tensor = TFloat32.tensorOf(shape, DataBuffers.of(values.get(names.get(i))));
        tensors.add(tensor);
        runner.feed(value, tensor).addTarget(tf.withName("assign_" + i).assign(variable, value));
      }
      runner.run().close();
    } finally {
      tensors.forEach(TFloat32::close);
    }
  }
}
