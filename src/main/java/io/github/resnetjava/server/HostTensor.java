package io.github.resnetjava.server;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * A tensor held in Java arrays between the JSON codec and a session run: a dtype, a shape and the
 * values in row-major order ({@code float[]}, {@code double[]}, {@code int[]}, {@code long[]} or,
 * for {@code DT_STRING}, {@code byte[][]}). Batching concatenates and splits these along dimension
 * 0, so no native memory is held while a request waits in a queue.
 */
final class HostTensor {
  private final DataType dtype;
  private final long[] shape;
  private final Object values;

  private HostTensor(DataType dtype, long[] shape, Object values) {
    this.dtype = dtype;
    this.shape = shape;
    this.values = values;
  }

  /**
   * A tensor of {@code dtype} and {@code shape} over {@code values}, an array of the dtype's Java
   * element type with as many elements as the shape has.
   */
  static HostTensor of(DataType dtype, long[] shape, Object values) {
    requireSupported(dtype);
    if (Array.getLength(values) != elements(shape)) {
      throw new IllegalArgumentException(
          "shape "
              + Arrays.toString(shape)
              + " needs "
              + elements(shape)
              + " values; got "
              + Array.getLength(values));
    }
    return new HostTensor(dtype, shape.clone(), values);
  }

  /** An empty value array of {@code dtype}'s element type, of {@code length} elements. */
  static Object newValues(DataType dtype, int length) {
    return switch (requireSupported(dtype)) {
      case DT_FLOAT -> new float[length];
      case DT_DOUBLE -> new double[length];
      case DT_INT32 -> new int[length];
      case DT_INT64 -> new long[length];
      case DT_STRING -> new byte[length][];
      default -> throw new AssertionError(dtype);
    };
  }

  /**
   * {@code dtype} if the server can carry it, else a {@link ServingException.Code#UNIMPLEMENTED}
   * error (TF Serving's JSON codec answers unsupported dtypes the same way).
   */
  static DataType requireSupported(DataType dtype) {
    return switch (dtype) {
      case DT_FLOAT, DT_DOUBLE, DT_INT32, DT_INT64, DT_STRING -> dtype;
      default ->
          throw new ServingException(
              ServingException.Code.UNIMPLEMENTED,
              "Tensors of type "
                  + dtype
                  + " are not supported by this server; supported: DT_FLOAT,"
                  + " DT_DOUBLE, DT_INT32, DT_INT64, DT_STRING");
    };
  }

  /** Copies a tensor fetched from a session into Java arrays. */
  static HostTensor copyOf(Tensor tensor) {
    DataType dtype = tensor.dataType();
    long[] shape = tensor.shape().asArray();
    int length = Math.toIntExact(elements(shape));
    Object values = newValues(dtype, length);
    switch (dtype) {
      case DT_FLOAT -> ((TFloat32) tensor).copyTo(DataBuffers.of((float[]) values));
      case DT_DOUBLE -> ((TFloat64) tensor).copyTo(DataBuffers.of((double[]) values));
      case DT_INT32 -> ((TInt32) tensor).copyTo(DataBuffers.of((int[]) values));
      case DT_INT64 -> ((TInt64) tensor).copyTo(DataBuffers.of((long[]) values));
      case DT_STRING ->
          ((TString) tensor).asBytes().copyTo(DataBuffers.ofObjects((byte[][]) values));
      default -> throw new AssertionError(dtype);
    }
    return new HostTensor(dtype, shape, values);
  }

  /** A new native tensor with these values; the caller closes it. */
  Tensor toTensor() {
    Shape tfShape = Shape.of(shape);
    return switch (dtype) {
      case DT_FLOAT -> TFloat32.tensorOf(tfShape, DataBuffers.of((float[]) values, true, false));
      case DT_DOUBLE -> TFloat64.tensorOf(tfShape, DataBuffers.of((double[]) values, true, false));
      case DT_INT32 -> TInt32.tensorOf(tfShape, DataBuffers.of((int[]) values, true, false));
      case DT_INT64 -> TInt64.tensorOf(tfShape, DataBuffers.of((long[]) values, true, false));
      case DT_STRING -> {
        NdArray<byte[]> bytes = NdArrays.wrap(tfShape, DataBuffers.ofObjects((byte[][]) values));
        yield TString.tensorOfBytes(bytes);
      }
      default -> throw new AssertionError(dtype);
    };
  }

  /**
   * The tensors concatenated along dimension 0, as TF Serving's batching session merges the inputs
   * of several requests.
   *
   * @throws IllegalArgumentException if dtypes, ranks or any dimension but the first differ
   */
  static HostTensor concat(List<HostTensor> parts) {
    HostTensor first = parts.get(0);
    long rows = 0;
    for (HostTensor part : parts) {
      if (part.dtype != first.dtype
          || part.shape.length == 0
          || part.shape.length != first.shape.length
          || !Arrays.equals(part.shape, 1, part.shape.length, first.shape, 1, first.shape.length)) {
        throw new IllegalArgumentException(
            "cannot concatenate " + part.describe() + " to " + first.describe());
      }
      rows += part.shape[0];
    }
    long[] shape = first.shape.clone();
    shape[0] = rows;
    Object values = newValues(first.dtype, Math.toIntExact(elements(shape)));
    int offset = 0;
    for (HostTensor part : parts) {
      int length = Array.getLength(part.values);
      System.arraycopy(part.values, 0, values, offset, length);
      offset += length;
    }
    return new HostTensor(first.dtype, shape, values);
  }

  /**
   * Splits along dimension 0 into pieces of {@code rows[i]} rows, the inverse of {@link #concat}.
   *
   * @throws IllegalArgumentException if dimension 0 is not the sum of {@code rows}
   */
  List<HostTensor> split(long[] rows) {
    long total = Arrays.stream(rows).sum();
    if (shape.length == 0 || shape[0] != total) {
      throw new IllegalArgumentException(
          "Batched output "
              + describe()
              + " does not have the "
              + total
              + " rows of its inputs in dimension 0");
    }
    long rowElements = shape[0] == 0 ? 0 : elements(shape) / shape[0];
    List<HostTensor> pieces = new ArrayList<>(rows.length);
    int offset = 0;
    for (long count : rows) {
      long[] pieceShape = shape.clone();
      pieceShape[0] = count;
      int length = Math.toIntExact(count * rowElements);
      Object pieceValues = newValues(dtype, length);
      System.arraycopy(values, offset, pieceValues, 0, length);
      offset += length;
      pieces.add(new HostTensor(dtype, pieceShape, pieceValues));
    }
    return pieces;
  }

  DataType dtype() {
    return dtype;
  }

  long[] shape() {
    return shape.clone();
  }

  int rank() {
    return shape.length;
  }

  long dim(int i) {
    return shape[i];
  }

  /** The values, row-major: an array of the dtype's element type. Not copied: do not modify. */
  Object values() {
    return values;
  }

  /** {@code "DT_FLOAT [2, 3]"}. */
  String describe() {
    return dtype + " " + Arrays.toString(shape);
  }

  static long elements(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }
}
