package io.github.resnetjava.layers;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Weights frozen into graph constants, for inference-only graphs: what TF1's {@code
 * convert_variables_to_constants} produces. Constants let grappler fold weight arithmetic (such as
 * batch-norm folding) once at session creation, and let oneDNN cache reordered filters, which it
 * only does for constant weights.
 */
public final class FrozenWeights implements WeightStore {
  private final Map<String, float[]> values;
  private final Map<String, Operand<TFloat32>> constants = new HashMap<>();

  /**
   * @param values every weight's values in row-major order, keyed by TF1 variable name (as {@link
   *     VariableStore#variables()} names them)
   */
  public FrozenWeights(Map<String, float[]> values) {
    this.values = Map.copyOf(values);
  }

  /**
   * The current values of {@code variables}, keyed as given, in their order: what the constructor
   * takes, read as TF1's {@code convert_variables_to_constants} reads them, in one session run.
   *
   * @param session a session on the variables' graph, with the variables initialized or restored
   * @param variables the variables to read, keyed by TF1 name
   */
  public static Map<String, float[]> read(
      Session session, Map<String, Variable<TFloat32>> variables) {
    List<String> names = List.copyOf(variables.keySet());
    if (names.isEmpty()) {
      return new LinkedHashMap<>();
    }
    Session.Runner runner = session.runner();
    names.forEach(name -> runner.fetch(variables.get(name)));
    return FetchedWeights.run(runner, names);
  }

  @Override
  public Operand<TFloat32> get(
      LayerScope scope, String name, Shape shape, Initializer initializer, boolean trainable) {
    String fullName = scope.qualify(name);
    Operand<TFloat32> existing = constants.get(fullName);
    if (existing != null) {
      return existing;
    }
    float[] value = values.get(fullName);
    if (value == null) {
      throw new IllegalArgumentException(
          "No frozen value for weight '"
              + fullName
              + "'; the values given are for "
              + new TreeSet<>(values.keySet()).size()
              + " weights such as "
              + values.keySet().stream().sorted().limit(3).toList()
              + ": freeze the values of a model of the same depth and class count");
    }
    if (value.length != shape.size()) {
      throw new IllegalArgumentException(
          "Frozen weight '"
              + fullName
              + "' has "
              + value.length
              + " values but the layer needs "
              + shape
              + " = "
              + shape.size());
    }
    Operand<TFloat32> constant =
        scope.ops().withName(name).constant(shape, DataBuffers.of(value, true, false));
    constants.put(fullName, constant);
    return constant;
  }

  @Override
  public void addUpdateOp(Op op) {
    throw new IllegalStateException(
        "Frozen weights are constants and cannot be updated: build training graphs on a"
            + " variable-backed model");
  }
}
