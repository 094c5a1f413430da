package io.github.resnetjava.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.tensorflow.proto.DataType;

/**
 * Converts between JSON values and {@link HostTensor}s as TF Serving's {@code util/json_tensor.cc}
 * does: nested arrays give the shape, every number converts to a float type (rounding silently),
 * integer types take integral numbers only, strings are UTF-8 text or {@code {"b64": "<standard
 * base64>"}}, and string outputs are written as {@code {"b64": ...}} when their alias ends in
 * {@code _bytes}.
 */
final class JsonTensors {
  private static final String B64 = "b64";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonTensors() {}

  /** Whether {@code node} is a binary value {@code {"b64": "..."}} (exactly that one key). */
  static boolean isB64(JsonNode node) {
    return node.isObject() && node.size() == 1 && node.has(B64);
  }

  /** The whole tensor {@code node} describes for {@code spec} (columnar format: no batch added). */
  static HostTensor tensor(TensorSpec spec, JsonNode node) {
    long[] shape = shapeOf(node);
    Object values = HostTensor.newValues(spec.dtype(), Math.toIntExact(HostTensor.elements(shape)));
    fill(spec, node, shape, 0, values, new int[1], "");
    return HostTensor.of(spec.dtype(), shape, values);
  }

  /**
   * One tensor from row-format instances: each element of {@code rows} is one batch row, all of one
   * shape; the batch dimension is {@code rows.size()}.
   */
  static HostTensor stack(TensorSpec spec, List<JsonNode> rows) {
    long[] rowShape = shapeOf(rows.get(0));
    long[] shape = new long[rowShape.length + 1];
    shape[0] = rows.size();
    System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
    Object values = HostTensor.newValues(spec.dtype(), Math.toIntExact(HostTensor.elements(shape)));
    int[] next = new int[1];
    for (int i = 0; i < rows.size(); i++) {
      long[] actual = shapeOf(rows.get(i));
      if (!Arrays.equals(actual, rowShape)) {
        throw ServingException.invalid(
            "Expecting shape "
                + Arrays.toString(rowShape)
                + " but got "
                + Arrays.toString(actual)
                + " for instance "
                + i
                + " of input '"
                + spec.alias()
                + "': every instance must have the same shape");
      }
      fill(spec, rows.get(i), rowShape, 0, values, next, "[" + i + "]");
    }
    return HostTensor.of(spec.dtype(), shape, values);
  }

  /** The tensor as nested JSON arrays. */
  static JsonNode toJson(String alias, HostTensor tensor) {
    return toJson(alias, tensor, 0, new int[1]);
  }

  /** Row {@code row} of the tensor (its slice along dimension 0) as JSON. */
  static JsonNode rowToJson(String alias, HostTensor tensor, int row) {
    long rowElements = HostTensor.elements(tensor.shape()) / Math.max(1, tensor.dim(0));
    return toJson(alias, tensor, 1, new int[] {Math.toIntExact(row * rowElements)});
  }

  private static JsonNode toJson(String alias, HostTensor tensor, int dim, int[] next) {
    if (dim == tensor.rank()) {
      return scalar(alias, tensor, next[0]++);
    }
    ArrayNode array = NODES.arrayNode();
    for (long i = 0; i < tensor.dim(dim); i++) {
      array.add(toJson(alias, tensor, dim + 1, next));
    }
    return array;
  }

  private static JsonNode scalar(String alias, HostTensor tensor, int index) {
    Object values = tensor.values();
    return switch (tensor.dtype()) {
      case DT_FLOAT -> NODES.numberNode(((float[]) values)[index]);
      case DT_DOUBLE -> NODES.numberNode(((double[]) values)[index]);
      case DT_INT32 -> NODES.numberNode(((int[]) values)[index]);
      case DT_INT64 -> NODES.numberNode(((long[]) values)[index]);
      case DT_STRING -> {
        byte[] bytes = ((byte[][]) values)[index];
        yield alias.endsWith("_bytes")
            ? NODES.objectNode().put(B64, Base64.getEncoder().encodeToString(bytes))
            : NODES.textNode(new String(bytes, StandardCharsets.UTF_8));
      }
      default -> throw new AssertionError(tensor.dtype());
    };
  }

  /** The shape nested arrays give {@code node}: {@code []} for a scalar or b64 value. */
  private static long[] shapeOf(JsonNode node) {
    List<Long> dims = new ArrayList<>();
    JsonNode level = node;
    while (level.isArray()) {
      dims.add((long) level.size());
      if (level.isEmpty()) {
        break;
      }
      level = level.get(0);
    }
    return dims.stream().mapToLong(Long::longValue).toArray();
  }

  private static void fill(
      TensorSpec spec,
      JsonNode node,
      long[] shape,
      int dim,
      Object values,
      int[] next,
      String path) {
    if (dim == shape.length) {
      if (node.isArray()) {
        throw ServingException.invalid(
            "Input '"
                + spec.alias()
                + "'"
                + path
                + " is nested deeper than its siblings: the"
                + " nested arrays must form a rectangular tensor");
      }
      setScalar(spec, node, values, next[0]++, path);
      return;
    }
    if (!node.isArray() || node.size() != shape[dim]) {
      throw ServingException.invalid(
          "Input '"
              + spec.alias()
              + "'"
              + path
              + " is ragged: expected an array of "
              + shape[dim]
              + " elements, got "
              + brief(node)
              + "; nested arrays must form a rectangular"
              + " tensor");
    }
    for (int i = 0; i < node.size(); i++) {
      fill(spec, node.get(i), shape, dim + 1, values, next, path + "[" + i + "]");
    }
  }

  private static void setScalar(
      TensorSpec spec, JsonNode node, Object values, int index, String path) {
    DataType dtype = spec.dtype();
    switch (dtype) {
      case DT_FLOAT -> ((float[]) values)[index] = (float) number(spec, node, path);
      case DT_DOUBLE -> ((double[]) values)[index] = number(spec, node, path);
      case DT_INT32 -> {
        long value = integral(spec, node, path);
        if (value != (int) value) {
          throw wrongType(spec, node, path);
        }
        ((int[]) values)[index] = (int) value;
      }
      case DT_INT64 -> ((long[]) values)[index] = integral(spec, node, path);
      case DT_STRING -> ((byte[][]) values)[index] = bytes(spec, node, path);
      default -> throw new AssertionError(dtype);
    }
  }

  private static double number(TensorSpec spec, JsonNode node, String path) {
    if (!node.isNumber()) {
      throw wrongType(spec, node, path);
    }
    return node.doubleValue();
  }

  private static long integral(TensorSpec spec, JsonNode node, String path) {
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw wrongType(spec, node, path);
    }
    return node.longValue();
  }

  private static byte[] bytes(TensorSpec spec, JsonNode node, String path) {
    if (node.isTextual()) {
      return node.textValue().getBytes(StandardCharsets.UTF_8);
    }
    if (!isB64(node) || !node.get(B64).isTextual()) {
      throw wrongType(spec, node, path);
    }
    try {
      return Base64.getDecoder().decode(node.get(B64).textValue());
    } catch (IllegalArgumentException e) {
      throw ServingException.invalid(
          "Unable to base64 decode input '"
              + spec.alias()
              + "'"
              + path
              + ": "
              + e.getMessage()
              + " (send standard base64, RFC 4648 section 4, not the URL-safe alphabet)");
    }
  }

  private static ServingException wrongType(TensorSpec spec, JsonNode node, String path) {
    String expected =
        switch (spec.dtype()) {
          case DT_FLOAT -> "float";
          case DT_DOUBLE -> "double";
          case DT_INT32 -> "int32";
          case DT_INT64 -> "int64";
          default -> "string (text or {\"b64\": \"...\"})";
        };
    return ServingException.invalid(
        "JSON Value: "
            + brief(node)
            + " of input '"
            + spec.alias()
            + "'"
            + path
            + " is not of expected type: "
            + expected);
  }

  private static String brief(JsonNode node) {
    String text = node.toString();
    return text.length() <= 40 ? text : text.substring(0, 37) + "...";
  }
}
