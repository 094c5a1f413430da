package io.github.resnetjava.train;

import io.github.resnetjava.layers.FedVariables;
import io.github.resnetjava.layers.FetchedWeights;
import io.github.resnetjava.savedmodel.Signatures;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;

/**
 * The variables of a SavedModel, loaded with TensorFlow's own loader ({@code
 * SavedModelBundle.load(dir, "serve")}, Python's {@code tf.compat.v1.saved_model.load}) and read by
 * running the variable ops in its session. An {@code --optimize} export, whose batch norms are
 * folded into its convolutions, and a SavedModel without variables are rejected.
 */
final class SavedModelWeights implements WeightSource {
  private static final Set<String> VARIABLE_OPS = Set.of("VariableV2", "Variable");

  private final Path directory;
  private final SavedModelBundle bundle;
  private final Map<String, Shape> shapes = new LinkedHashMap<>();

  /**
   * @throws IllegalArgumentException if the SavedModel cannot be loaded or has no variables
   */
  SavedModelWeights(Path directory) {
    this.directory = directory;
    try {
      this.bundle = SavedModelBundle.load(directory.toString(), Signatures.TAG_SERVE);
    } catch (TensorFlowException e) {
      throw new IllegalArgumentException(
          "Cannot load the SavedModel "
              + directory
              + ": "
              + e.getMessage().lines().findFirst().orElse(""),
          e);
    }
    Iterator<GraphOperation> operations = bundle.graph().operations();
    while (operations.hasNext()) {
      GraphOperation op = operations.next();
      if (VARIABLE_OPS.contains(op.type())) {
        Output<?> value = op.output(0);
        if (value.dataType() == DataType.DT_FLOAT || value.dataType() == DataType.DT_FLOAT_REF) {
          shapes.put(op.name(), value.shape());
        }
      }
    }
    if (shapes.keySet().stream().anyMatch(SavedModelWeights::isFoldedWeight)) {
      bundle.close();
      throw new IllegalArgumentException(
          "The SavedModel "
              + directory
              + " has its batch norms folded into its convolutions"
              + " (an --optimize export): its weights cannot be trained further. Initialize from"
              + " a plain export or a checkpoint.");
    }
    if (shapes.isEmpty()) {
      bundle.close();
      throw new IllegalArgumentException(
          "The SavedModel "
              + directory
              + " holds no float variables: its weights are constants"
              + " (an --optimize export?). Initialize from a plain export or a checkpoint.");
    }
  }

  private static boolean isFoldedWeight(String name) {
    return name.endsWith("/" + FedVariables.FOLDED_KERNEL)
        || name.endsWith("/" + FedVariables.FOLDED_BIAS);
  }

  @Override
  public Map<String, Shape> shapes() {
    return Collections.unmodifiableMap(shapes);
  }

  @Override
  public Map<String, float[]> read(List<String> names) {
    Session.Runner runner = bundle.session().runner();
    for (String name : names) {
      if (!shapes.containsKey(name)) {
        throw new IllegalArgumentException(
            "The SavedModel " + directory + " has no variable " + name);
      }
      runner.fetch(name);
    }
    return names.isEmpty() ? Map.of() : FetchedWeights.run(runner, names);
  }

  @Override
  public String description() {
    return "SavedModel " + directory;
  }

  @Override
  public void close() {
    bundle.close();
  }
}
