package io.github.resnetjava.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A {@code :predict} request body decoded as TF Serving's REST API defines it ({@code api_rest.md},
 * {@code FillPredictRequestFromJson}): {@code signature_name} (default {@value #DEFAULT_SIGNATURE})
 * and exactly one of {@code instances} (row format: one element per batch row, the server adds the
 * batch dimension) or {@code inputs} (columnar: whole tensors).
 *
 * @param signature the signature to run
 * @param inputs one tensor per input alias, checked against the signature
 * @param rowFormat whether the request used {@code instances} (answered with {@code predictions})
 */
record PredictRequest(SignatureSpec signature, Map<String, HostTensor> inputs, boolean rowFormat) {
  /** TF Serving's default signature key. */
  static final String DEFAULT_SIGNATURE = "serving_default";

  /**
   * Decodes {@code body}, finding the signature through {@code signatures}.
   *
   * @throws ServingException INVALID_ARGUMENT for a malformed body, NOT_FOUND for an unknown
   *     signature (from {@code signatures})
   */
  static PredictRequest parse(JsonNode body, Function<String, SignatureSpec> signatures) {
    if (!body.isObject()) {
      throw ServingException.invalid(
          "The request body must be a JSON object; got " + body.getNodeType());
    }
    JsonNode name = body.get("signature_name");
    if (name != null && !name.isTextual()) {
      throw ServingException.invalid("'signature_name' must be a string; got " + name);
    }
    boolean hasInstances = body.has("instances");
    boolean hasInputs = body.has("inputs");
    if (hasInstances == hasInputs) {
      throw ServingException.invalid(
          hasInstances
              ? "Not formatted correctly: expecting only one of 'inputs' or 'instances' keys"
              : "Missing 'inputs' or 'instances' key: send {\"instances\": [...]} (one element per"
                  + " image) or {\"inputs\": ...}");
    }
    SignatureSpec signature = signatures.apply(name == null ? DEFAULT_SIGNATURE : name.textValue());
    Map<String, HostTensor> inputs =
        hasInstances
            ? rowInputs(signature, body.get("instances"))
            : columnarInputs(signature, body.get("inputs"));
    inputs.forEach((alias, value) -> signature.inputs().get(alias).requireFits(value));
    return new PredictRequest(signature, inputs, hasInstances);
  }

  /** The batch size: dimension 0 of the inputs (1 for a scalar columnar input). */
  long rows() {
    HostTensor first = inputs.values().iterator().next();
    return first.rank() == 0 ? 1 : first.dim(0);
  }

  /**
   * The response body: {@code {"predictions": ...}} for row format (one value per row, an object by
   * output alias when there are several outputs), {@code {"outputs": ...}} for columnar.
   *
   * @throws ServingException INVALID_ARGUMENT if a row-format output lacks the batch dimension
   */
  ObjectNode response(Map<String, HostTensor> outputs) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    if (!rowFormat) {
      if (outputs.size() == 1) {
        Map.Entry<String, HostTensor> only = outputs.entrySet().iterator().next();
        body.set("outputs", JsonTensors.toJson(only.getKey(), only.getValue()));
      } else {
        ObjectNode named = body.putObject("outputs");
        outputs.forEach((alias, tensor) -> named.set(alias, JsonTensors.toJson(alias, tensor)));
      }
      return body;
    }
    long rows = rows();
    for (Map.Entry<String, HostTensor> output : outputs.entrySet()) {
      HostTensor tensor = output.getValue();
      if (tensor.rank() == 0) {
        throw ServingException.invalid(
            "Tensor name: "
                + output.getKey()
                + " has no shape information: use the columnar 'inputs' format");
      }
      if (tensor.dim(0) != rows) {
        throw ServingException.invalid(
            "Tensor name: "
                + output.getKey()
                + " has inconsistent batch size: "
                + tensor.dim(0)
                + " expecting: "
                + rows);
      }
    }
    ArrayNode predictions = body.putArray("predictions");
    for (int row = 0; row < rows; row++) {
      if (outputs.size() == 1) {
        Map.Entry<String, HostTensor> only = outputs.entrySet().iterator().next();
        predictions.add(JsonTensors.rowToJson(only.getKey(), only.getValue(), row));
      } else {
        ObjectNode prediction = predictions.addObject();
        for (Map.Entry<String, HostTensor> output : outputs.entrySet()) {
          prediction.set(
              output.getKey(), JsonTensors.rowToJson(output.getKey(), output.getValue(), row));
        }
      }
    }
    return body;
  }

  private static Map<String, HostTensor> rowInputs(SignatureSpec signature, JsonNode instances) {
    if (!instances.isArray() || instances.isEmpty()) {
      throw ServingException.invalid(
          "'instances' must be a non-empty JSON array, one element per batch row; got "
              + (instances.isArray() ? "an empty array" : instances.getNodeType().toString()));
    }
    boolean named = isNamedObject(instances.get(0));
    List<JsonNode> elements = new ArrayList<>();
    instances.forEach(elements::add);
    for (int i = 0; i < elements.size(); i++) {
      if (isNamedObject(elements.get(i)) != named) {
        throw ServingException.invalid(
            "Instance "
                + i
                + " is "
                + (named ? "not " : "")
                + "an object naming inputs, unlike instance 0: all instances must be of one kind");
      }
    }
    Map<String, HostTensor> inputs = new LinkedHashMap<>();
    if (!named) {
      inputs.put(
          requireSingleInput(signature, "instances").alias(),
          JsonTensors.stack(requireSingleInput(signature, "instances"), elements));
      return inputs;
    }
    for (int i = 0; i < elements.size(); i++) {
      requireExactInputs(signature, elements.get(i), "instance " + i);
    }
    for (TensorSpec spec : signature.inputs().values()) {
      List<JsonNode> rows = new ArrayList<>(elements.size());
      elements.forEach(element -> rows.add(element.get(spec.alias())));
      inputs.put(spec.alias(), JsonTensors.stack(spec, rows));
    }
    return inputs;
  }

  private static Map<String, HostTensor> columnarInputs(SignatureSpec signature, JsonNode value) {
    Map<String, HostTensor> inputs = new LinkedHashMap<>();
    TensorSpec single = signature.singleInput();
    if (single != null && !isNamedObject(value)) {
      inputs.put(single.alias(), JsonTensors.tensor(single, value));
      return inputs;
    }
    if (!value.isObject()) {
      throw ServingException.invalid(
          "Signature '"
              + signature.key()
              + "' has inputs "
              + signature.inputs().keySet()
              + ": 'inputs' must be an object naming each of them");
    }
    for (TensorSpec spec : signature.inputs().values()) {
      if (!value.has(spec.alias())) {
        throw ServingException.invalid(
            "Missing named input: " + spec.alias() + " in 'inputs' object.");
      }
    }
    requireExactInputs(signature, value, "'inputs'");
    for (TensorSpec spec : signature.inputs().values()) {
      inputs.put(spec.alias(), JsonTensors.tensor(spec, value.get(spec.alias())));
    }
    return inputs;
  }

  private static boolean isNamedObject(JsonNode node) {
    return node.isObject() && !JsonTensors.isB64(node);
  }

  private static TensorSpec requireSingleInput(SignatureSpec signature, String key) {
    TensorSpec single = signature.singleInput();
    if (single == null) {
      throw ServingException.invalid(
          "Signature '"
              + signature.key()
              + "' has inputs "
              + signature.inputs().keySet()
              + ": each element of '"
              + key
              + "' must be an object naming them");
    }
    return single;
  }

  private static void requireExactInputs(SignatureSpec signature, JsonNode object, String what) {
    TreeSet<String> keys = new TreeSet<>();
    Iterator<String> names = object.fieldNames();
    names.forEachRemaining(keys::add);
    if (!keys.equals(signature.inputs().keySet())) {
      throw ServingException.invalid(
          "The keys of "
              + what
              + " "
              + keys
              + " do not match the inputs of signature '"
              + signature.key()
              + "' "
              + signature.inputs().keySet()
              + ": input size does not match signature");
    }
  }
}
