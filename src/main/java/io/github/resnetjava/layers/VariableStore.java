package io.github.resnetjava.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * The model's variables, keyed by TF1 variable name, with TF1 {@code tf.AUTO_REUSE} semantics: the
 * first request for a name creates the variable, later requests for the same name and shape return
 * it, so a training graph and an inference graph built from one model share weights.
 *
 * <p>Plays the part of TF1's {@code _VariableStore} plus the {@code TRAINABLE_VARIABLES} and {@code
 * UPDATE_OPS} collections.
 */
public final class VariableStore implements WeightStore {
  private final Long seed;
  private final Map<String, Variable<TFloat32>> variables = new LinkedHashMap<>();
  private final Set<String> nonTrainable = new HashSet<>();
  private final List<Op> updateOps = new ArrayList<>();

  /**
   * @param seed the model seed from which every variable's initializer seed is derived, or {@code
   *     null} for nondeterministic initial values (TF1 with no graph seed)
   */
  public VariableStore(Long seed) {
    this.seed = seed;
  }

  /**
   * Returns the variable {@code scope/name}, creating it with {@code initializer} if this store has
   * none of that name (TF1 {@code tf.get_variable} under {@code AUTO_REUSE}).
   *
   * <p>The variable op is named {@code name} in the scope's graph name scope; its initializer ops
   * go in the sibling scope {@code name_init}, registered as graph initializers so a new {@code
   * Session} runs them before its first run.
   *
   * @throws IllegalArgumentException if the variable exists with another shape
   */
  @Override
  public Variable<TFloat32> get(
      LayerScope scope, String name, Shape shape, Initializer initializer, boolean trainable) {
    String fullName = scope.qualify(name);
    Variable<TFloat32> existing = variables.get(fullName);
    if (existing != null) {
      if (!existing.shape().equals(shape)) {
        throw new IllegalArgumentException(
            "Variable '"
                + fullName
                + "' already exists with shape "
                + existing.shape()
                + " but this layer needs "
                + shape
                + ": the input's channel count or size differs from the first call that created it"
                + " (check the data format and input shape)");
      }
      return existing;
    }
    Variable<TFloat32> variable =
        createVariable(
            scope.ops(),
            name,
            shape,
            TFloat32.class,
            initializerOps ->
                initializer.create(initializerOps, shape, OpSeed.forVariable(seed, fullName)));
    variables.put(fullName, variable);
    if (!trainable) {
      nonTrainable.add(fullName);
    }
    return variable;
  }

  /**
   * Creates the variable {@code name} in {@code ops}' name scope with the initial value {@code
   * initialValue} builds, as TF1's {@code tf.Variable(initial_value)} does: the variable op and its
   * initializer go in the graph's init scope, the initializer's ops in the sibling scope {@code
   * name_init} ({@code name_init/Assign}), so a new {@code Session} runs them before its first run.
   * Every variable of the library, the model's and the training step counter, is created here.
   *
   * @param initialValue builds the initial value with the ops of scope {@code name_init}
   */
  public static <T extends TType> Variable<T> createVariable(
      Ops ops, String name, Shape shape, Class<T> type, Function<Ops, Operand<T>> initialValue) {
    Ops initOps = ops.withInitScope();
    Variable<T> variable = Variable.create(initOps.withName(name).scope(), shape, type);
    Ops initializerOps = initOps.withSubScope(name + "_init");
    Operand<T> value = initialValue.apply(initializerOps);
    Assign.create(initializerOps.withName("Assign").scope(), variable, value);
    return variable;
  }

  /** Registers an op that updates non-trainable state in training mode (TF1 {@code UPDATE_OPS}). */
  @Override
  public void addUpdateOp(Op op) {
    updateOps.add(op);
  }

  /** Every variable, keyed by TF1 name, in creation order. */
  public Map<String, Variable<TFloat32>> variables() {
    return Collections.unmodifiableMap(variables);
  }

  /** The variables gradients should update, in creation order (TF1 {@code TRAINABLE_VARIABLES}). */
  public List<Variable<TFloat32>> trainableVariables() {
    List<Variable<TFloat32>> trainable = new ArrayList<>();
    variables.forEach(
        (name, variable) -> {
          if (!nonTrainable.contains(name)) {
            trainable.add(variable);
          }
        });
    return Collections.unmodifiableList(trainable);
  }

  /** The moving-statistics update ops, in creation order (TF1 {@code UPDATE_OPS}). */
  public List<Op> updateOps() {
    return Collections.unmodifiableList(updateOps);
  }
}
