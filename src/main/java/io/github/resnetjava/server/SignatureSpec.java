package io.github.resnetjava.server;

import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.Signature;

/**
 * A SignatureDef as the server uses it: its key, method name and inputs and outputs by alias,
 * sorted by alias (the order responses list outputs in).
 */
record SignatureSpec(
    String key,
    String methodName,
    Map<String, TensorSpec> inputs,
    Map<String, TensorSpec> outputs) {

  static SignatureSpec of(Signature signature) {
    Map<String, TensorSpec> inputs = new TreeMap<>();
    signature.getInputs().forEach((alias, d) -> inputs.put(alias, TensorSpec.of(alias, d)));
    Map<String, TensorSpec> outputs = new TreeMap<>();
    signature.getOutputs().forEach((alias, d) -> outputs.put(alias, TensorSpec.of(alias, d)));
    return new SignatureSpec(
        signature.key(),
        signature.methodName(),
        java.util.Collections.unmodifiableMap(inputs),
        java.util.Collections.unmodifiableMap(outputs));
  }

  /** The only input's spec, or null when the signature has several. */
  TensorSpec singleInput() {
    return inputs.size() == 1 ? inputs.values().iterator().next() : null;
  }
}
