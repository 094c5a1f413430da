package io.github.resnetjava.train;

import io.github.resnetjava.layers.Initializer;
import io.github.resnetjava.layers.LayerScope;
import io.github.resnetjava.layers.VariableStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * TF1 {@code tf.compat.v1.train.MomentumOptimizer(learning_rate, momentum, use_nesterov=False)} as
 * the official TF ResNet uses it: {@code minimize(loss, global_step, var_list)} over an explicit
 * variable list, so the batch-norm moving statistics are never differentiated.
 *
 * <p>Gradients come from {@code tf.gradients} (TF Java's {@code Graph.addGradients}); each variable
 * is updated by {@code ApplyMomentum}: {@code accum = momentum * accum + grad; var -= lr * accum}.
 * The accumulator is a zero-initialized slot variable named, as TF1 names slots, {@code
 * <var>/Momentum}, under this optimizer's scope {@value #SCOPE} (the model's own scopes cannot be
 * re-entered from outside it): {@code optimizer/conv_initial/kernel/Momentum}. TensorFlow Java's
 * framework optimizers are not used: they differentiate every variable of the graph and reject
 * variable names containing {@code /}.
 *
 * <p>With reference variables, an op reading a variable and the update writing it race unless
 * ordered; the updates therefore wait for every gradient and for the given {@code fetchedReads}
 * (the loss and metrics a step reports), so a step's values all belong to the weights before the
 * update. This is also what makes a step deterministic.
 */
public final class MomentumOptimizer {
  /** The official ResNet's {@code momentum}. */
  public static final double DEFAULT_MOMENTUM = 0.9;

  /** The name scope of the slots and update ops. */
  public static final String SCOPE = "optimizer";

  /** TF1's slot name for the momentum accumulator. */
  public static final String SLOT_NAME = "Momentum";

  /** The name scope of the gradient ops ({@code tf.gradients}' default name). */
  public static final String GRADIENTS_SCOPE = "gradients";

  private final Ops tf;
  private final double momentum;
  private final LayerScope scope;
  private final VariableStore slots = new VariableStore(null);

  /**
   * An optimizer building in {@code tf}'s graph.
   *
   * @param tf the ops factory of the graph's root scope (the model's)
   * @param momentum the momentum, in {@code [0, 1)}
   */
  public MomentumOptimizer(Ops tf, double momentum) {
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("momentum must be in [0, 1); got " + momentum);
    }
    this.tf = tf;
    this.momentum = momentum;
    this.scope = LayerScope.root(tf).enter(SCOPE);
  }

  /**
   * The result of {@link #minimize}.
   *
   * @param applyOp runs every update and then increments the global step by one
   * @param gradients {@code d loss / d var} per variable, in the order given
   * @param slots each variable's momentum accumulator, in the order given
   */
  public record Update(
      Op applyOp, List<Output<TFloat32>> gradients, List<Variable<TFloat32>> slots) {}

  /**
   * Adds the gradients of {@code loss} with respect to {@code variables} and their momentum
   * updates, as TF1 {@code optimizer.minimize(loss, global_step, var_list=variables)}.
   *
   * @param loss scalar to minimize
   * @param variables the variables to update (TF1 {@code var_list}); nothing else is touched
   * @param learningRate scalar learning rate for this step
   * @param globalStep incremented by one after the updates
   * @param fetchedReads values a step reads besides the gradients, computed before any update
   * @throws IllegalArgumentException if a variable does not depend on {@code loss}
   */
  public Update minimize(
      Operand<TFloat32> loss,
      List<Variable<TFloat32>> variables,
      Operand<TFloat32> learningRate,
      Variable<TInt64> globalStep,
      List<? extends Op> fetchedReads) {
    return minimize(loss, variables, learningRate, name -> 1.0, globalStep, fetchedReads);
  }

  /**
   * {@link #minimize(Operand, List, Operand, Variable, List)} with a learning rate per variable:
   * {@code learningRate * rateScale(name)}, as TF1 code builds one optimizer per variable group
   * (for example a smaller rate for a fine-tuned backbone than for a new head).
   *
   * @param rateScale each variable's factor on {@code learningRate}, by TF1 name
   */
  public Update minimize(
      Operand<TFloat32> loss,
      List<Variable<TFloat32>> variables,
      Operand<TFloat32> learningRate,
      ToDoubleFunction<String> rateScale,
      Variable<TInt64> globalStep,
      List<? extends Op> fetchedReads) {
    List<Output<TFloat32>> gradients = gradients(loss, variables);
    Map<Double, Operand<TFloat32>> scaledRates = new HashMap<>();
    scaledRates.put(1.0, learningRate);
    List<Op> before = new ArrayList<>(gradients);
    before.addAll(fetchedReads);
    Operand<TFloat32> momentumValue = tf.constant((float) momentum);
    List<Op> updates = new ArrayList<>();
    List<Variable<TFloat32>> accumulators = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      Variable<TFloat32> variable = variables.get(i);
      LayerScope variableScope = variableScope(variable.op().name());
      Variable<TFloat32> accumulator =
          slots.get(variableScope, SLOT_NAME, variable.shape(), Initializer.zeros(), false);
      accumulators.add(accumulator);
      updates.add(
          variableScope
              .ops()
              .withControlDependencies(before)
              .withName("ApplyMomentum")
              .train
              .applyMomentum(
                  variable,
                  accumulator,
                  scaledRates.computeIfAbsent(
                      rateScale.applyAsDouble(variable.op().name()),
                      scale ->
                          scope
                              .ops()
                              .withName("scaled_learning_rate_" + scaledRates.size())
                              .math
                              .mul(learningRate, tf.constant(scale.floatValue()))),
                  gradients.get(i),
                  momentumValue));
    }
    Ops optimizerOps = scope.ops();
    Op increment =
        optimizerOps
            .withControlDependencies(updates)
            .withName("increment_global_step")
            .assignAdd(globalStep, optimizerOps.constant(1L));
    return new Update(
        increment,
        Collections.unmodifiableList(gradients),
        Collections.unmodifiableList(accumulators));
  }

  private List<Output<TFloat32>> gradients(
      Operand<TFloat32> loss, List<Variable<TFloat32>> variables) {
    List<Output<TFloat32>> gradients = new ArrayList<>();
    int i = 0;
    for (Operand<?> gradient : tf.withName(GRADIENTS_SCOPE).gradients(loss, variables)) {
      Output<?> output = gradient.asOutput();
      if (output == null || output.op() == null) {
        throw new IllegalArgumentException(
            "The loss does not depend on variable " + variables.get(i).op().name());
      }
      gradients.add(output.expect(TFloat32.class));
      i++;
    }
    return gradients;
  }

  /** The scope {@code optimizer/<variable name>}, entered one path segment at a time. */
  private LayerScope variableScope(String variableName) {
    LayerScope variableScope = scope;
    for (String segment : variableName.split("/")) {
      variableScope = variableScope.enter(segment);
    }
    return variableScope;
  }
}
