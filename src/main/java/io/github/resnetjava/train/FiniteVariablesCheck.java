package io.github.resnetjava.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * One graph op telling whether every float variable of a graph (weights, batch-norm moving
 * statistics, momentum slots) is finite: {@code tf.reduce_all} of {@code tf.math.is_finite} over
 * each variable, as {@code tf.debugging.check_numerics} would test them, but answering instead of
 * failing. A checkpoint or export taken after it says no would hold a diverged model.
 */
final class FiniteVariablesCheck {
  /** The name scope of the check's ops. */
  static final String SCOPE = "finite_variables_check";

  private final Operand<TBool> allFinite;

  /** Builds the check over the float variables {@code graph} holds now. */
  FiniteVariablesCheck(Graph graph) {
    Ops tf = Ops.create(graph).withSubScope(SCOPE);
    List<Operand<TBool>> perVariable = new ArrayList<>();
    for (Iterator<GraphOperation> ops = graph.operations(); ops.hasNext(); ) {
      GraphOperation op = ops.next();
      if (!op.type().equals("VariableV2")) {
        continue;
      }
      Output<?> value = op.output(0);
      DataType type = value.dataType();
      if (type == DataType.DT_FLOAT || type == DataType.DT_FLOAT_REF) {
        @SuppressWarnings("unchecked")
        Operand<TFloat32> floats = (Operand<TFloat32>) value;
        perVariable.add(tf.reduceAll(tf.math.isFinite(floats), allAxes(tf, floats)));
      }
    }
    this.allFinite =
        perVariable.isEmpty()
            ? tf.constant(true)
            : tf.reduceAll(tf.stack(perVariable), tf.constant(0));
  }

  /** Whether every float variable's every value is finite in {@code session}. */
  boolean allFinite(Session session) {
    try (Result result = session.runner().fetch(allFinite).run()) {
      return ((TBool) result.get(0)).getBoolean();
    }
  }

  private static Operand<org.tensorflow.types.TInt32> allAxes(Ops tf, Operand<TFloat32> value) {
    return tf.range(tf.constant(0), tf.rank(value), tf.constant(1));
  }
}
