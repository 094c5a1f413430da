package io.github.resnetjava.train;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_CheckpointReaderGetVariable;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_CheckpointReaderGetVariableDataType;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_CheckpointReaderGetVariableNumDims;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_CheckpointReaderGetVariableShape;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_CheckpointReaderSize;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteCheckpointReader;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewCheckpointReader;

import io.github.resnetjava.layers.FetchedWeights;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.internal.c_api.TF_CheckpointReader;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.Restore;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * The variables of a TensorFlow checkpoint ({@code <prefix>.index} and {@code <prefix>.data-*}),
 * listed by TensorFlow's own {@code CheckpointReader} (what Python's {@code
 * tf.train.list_variables} uses, through the C API's {@code TF_NewCheckpointReader}) and read with
 * the {@code RestoreV2} op, as a {@code Saver} restores them.
 */
final class CheckpointWeights implements WeightSource {
  private final Path prefix;
  private final Map<String, Shape> shapes = new LinkedHashMap<>();

  /**
   * @throws IllegalArgumentException if TensorFlow cannot read the checkpoint
   */
  CheckpointWeights(Path prefix) {
    this.prefix = prefix;
    TF_Status status = TF_Status.newStatus();
    try {
      TF_CheckpointReader reader = TF_NewCheckpointReader(prefix.toString(), status);
      try {
        status.throwExceptionIfNotOK();
        int count = TF_CheckpointReaderSize(reader);
        for (int i = 0; i < count; i++) {
          BytePointer namePointer = TF_CheckpointReaderGetVariable(reader, i);
          String name = namePointer.getString();
          if (TF_CheckpointReaderGetVariableDataType(reader, name) != DataType.DT_FLOAT_VALUE) {
            continue;
          }
          long[] dims = new long[TF_CheckpointReaderGetVariableNumDims(reader, name)];
          TF_CheckpointReaderGetVariableShape(reader, name, dims, dims.length, status);
          status.throwExceptionIfNotOK();
          shapes.put(name, Shape.of(dims));
        }
      } finally {
        if (reader != null && !reader.isNull()) {
          TF_DeleteCheckpointReader(reader);
        }
      }
    } catch (TensorFlowException e) {
      throw new IllegalArgumentException(
          "Cannot read checkpoint " + prefix + ": " + e.getMessage().lines().findFirst().orElse(""),
          e);
    } finally {
      status.delete();
    }
  }

  @Override
  public Map<String, Shape> shapes() {
    return Collections.unmodifiableMap(shapes);
  }

  @Override
  public Map<String, float[]> read(List<String> names) {
    for (String name : names) {
      if (!shapes.containsKey(name)) {
        throw new IllegalArgumentException("Checkpoint " + prefix + " has no variable " + name);
      }
    }
    if (names.isEmpty()) {
      return Map.of();
    }
    try (Graph graph = new Graph();
        Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      List<Class<? extends TType>> types = new ArrayList<>();
      names.forEach(name -> types.add(TFloat32.class));
      Restore restore =
          tf.train.restore(
              tf.constant(prefix.toString()),
              tf.constant(NdArrays.vectorOfObjects(names.toArray(String[]::new))),
              tf.constant(
                  NdArrays.vectorOfObjects(names.stream().map(name -> "").toArray(String[]::new))),
              types);
      Session.Runner runner = session.runner();
      restore.tensors().forEach(runner::fetch);
      return FetchedWeights.run(runner, names);
    }
  }

  @Override
  public String description() {
    return "checkpoint " + prefix;
  }

  @Override
  public void close() {}
}
