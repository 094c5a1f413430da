package io.github.resnetjava.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.Map;

/**
 * The JSON of TF Serving's model status ({@code GetModelStatusResponse}) and model metadata ({@code
 * GetModelMetadataResponse} with its {@code SignatureDefMap}) answers, field for field as TF
 * Serving prints the protos: int64 values as strings, the doubled {@code signature_def} key.
 */
final class ModelInfoJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ModelInfoJson() {}

  /** {@code {"model_version_status": [{"version": "1", "state": "AVAILABLE", ...}, ...]}}. */
  static ObjectNode status(Collection<ServedVersion> versions) {
    ObjectNode body = NODES.objectNode();
    ArrayNode statuses = body.putArray("model_version_status");
    for (ServedVersion version : versions) {
      ObjectNode status = statuses.addObject();
      status.put("version", Long.toString(version.version()));
      status.put("state", "AVAILABLE");
      status.putObject("status").put("error_code", "OK").put("error_message", "");
    }
    return body;
  }

  /** {@code {"model_spec": {...}, "metadata": {"signature_def": {"signature_def": {...}}}}}. */
  static ObjectNode metadata(ServedVersion version) {
    ObjectNode body = NODES.objectNode();
    body.putObject("model_spec")
        .put("name", version.modelName())
        .put("signature_name", "")
        .put("version", Long.toString(version.version()));
    ObjectNode signatures =
        body.putObject("metadata").putObject("signature_def").putObject("signature_def");
    for (SignatureSpec signature : version.signatures().values()) {
      ObjectNode def = signatures.putObject(signature.key());
      tensors(def.putObject("inputs"), signature.inputs());
      tensors(def.putObject("outputs"), signature.outputs());
      def.put("method_name", signature.methodName());
      def.putObject("defaults");
    }
    return body;
  }

  private static void tensors(ObjectNode into, Map<String, TensorSpec> specs) {
    for (TensorSpec spec : specs.values()) {
      ObjectNode tensor = into.putObject(spec.alias());
      tensor.put("dtype", spec.dtype().name());
      ObjectNode shape = tensor.putObject("tensor_shape");
      ArrayNode dims = shape.putArray("dim");
      boolean unknownRank = spec.shape().isUnknown();
      for (int i = 0; !unknownRank && i < spec.shape().numDimensions(); i++) {
        dims.addObject().put("size", Long.toString(spec.shape().get(i))).put("name", "");
      }
      shape.put("unknown_rank", unknownRank);
      tensor.put("name", spec.tensorName());
    }
  }
}
