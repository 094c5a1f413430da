package io.github.resnetjava.serving;

import io.github.resnetjava.preprocessing.ImagePreprocessing;
import io.github.resnetjava.savedmodel.Signatures;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TInt32;

/**
 * The graph tensors a {@link Classifier} feeds and fetches, looked up once from the signatures of a
 * loaded export (see {@link Signatures}), with the sizes those signatures declare.
 *
 * @param input the {@value Signatures#SERVING_DEFAULT} input, {@code [-1, side, side, 3]}
 * @param imageBytes the {@value Signatures#IMAGE_BYTES} input, {@code [-1]}
 * @param probabilities the {@value Signatures#PROBABILITIES} output, {@code [-1, numClasses]}
 * @param preprocessing the sizes of the model's image preprocessing
 * @param numClasses the width of the probabilities
 */
record ServingTensors(
    Output<?> input,
    Output<?> imageBytes,
    Output<?> probabilities,
    ImagePreprocessing preprocessing,
    int numClasses) {

  /**
   * Resolves the tensors of {@code bundle}, loaded from {@code savedModelDir}.
   *
   * @throws ModelLoadException naming the signature, tensor or node the export lacks
   */
  static ServingTensors resolve(SavedModelBundle bundle, Path savedModelDir) {
    Map<String, Signature> signatures =
        bundle.signatures().stream().collect(Collectors.toMap(Signature::key, s -> s));
    Signature servingDefault = signature(signatures, Signatures.SERVING_DEFAULT, savedModelDir);
    Signature imageBytes = signature(signatures, Signatures.IMAGE_BYTES, savedModelDir);

    Signature.TensorDescription input =
        tensor(servingDefault, servingDefault.getInputs(), Signatures.INPUT, savedModelDir);
    Shape inputShape = input.shape;
    if (input.dataType != DataType.DT_FLOAT
        || inputShape.numDimensions() != 4
        || inputShape.get(1) < 1
        || inputShape.get(1) != inputShape.get(2)
        || inputShape.get(3) != ImagePreprocessing.CHANNELS) {
      throw failure(
          savedModelDir,
          "input '"
              + Signatures.INPUT
              + "' must be float32 [-1, side, side, 3]; got "
              + input.dataType
              + " "
              + inputShape);
    }
    Signature.TensorDescription probabilities =
        tensor(
            servingDefault, servingDefault.getOutputs(), Signatures.PROBABILITIES, savedModelDir);
    if (probabilities.shape.numDimensions() != 2 || probabilities.shape.get(1) < 1) {
      throw failure(
          savedModelDir,
          "output '"
              + Signatures.PROBABILITIES
              + "' must be [-1, numClasses]; got "
              + probabilities.shape);
    }
    Signature.TensorDescription bytes =
        tensor(imageBytes, imageBytes.getInputs(), Signatures.IMAGE_BYTES_INPUT, savedModelDir);

    Graph graph = bundle.graph();
    int resizeDim = Math.toIntExact(inputShape.get(1));
    ImagePreprocessing preprocessing =
        new ImagePreprocessing(minAspectDim(bundle, savedModelDir), resizeDim);
    return new ServingTensors(
        graph.outputOrThrow(input.name),
        graph.outputOrThrow(bytes.name),
        graph.outputOrThrow(probabilities.name),
        preprocessing,
        Math.toIntExact(probabilities.shape.get(1)));
  }

  private static Signature signature(
      Map<String, Signature> signatures, String key, Path savedModelDir) {
    Signature signature = signatures.get(key);
    if (signature == null) {
      throw failure(
          savedModelDir,
          "it has no signature '"
              + key
              + "' (signatures: "
              + signatures.keySet()
              + "); export it with resnet-java's SavedModelExporter");
    }
    return signature;
  }

  private static Signature.TensorDescription tensor(
      Signature signature,
      Map<String, Signature.TensorDescription> tensors,
      String name,
      Path savedModelDir) {
    Signature.TensorDescription description = tensors.get(name);
    if (description == null) {
      throw failure(
          savedModelDir,
          "signature '"
              + signature.key()
              + "' has no tensor '"
              + name
              + "' (has "
              + tensors.keySet()
              + ")");
    }
    return description;
  }

  private static int minAspectDim(SavedModelBundle bundle, Path savedModelDir) {
    if (bundle.graph().operation(Signatures.MIN_ASPECT_DIM_NODE) == null) {
      throw failure(
          savedModelDir, "its graph has no '" + Signatures.MIN_ASPECT_DIM_NODE + "' node");
    }
    try (Result result = bundle.session().runner().fetch(Signatures.MIN_ASPECT_DIM_NODE).run()) {
      return ((TInt32) result.get(0)).getInt();
    }
  }

  private static ModelLoadException failure(Path savedModelDir, String problem) {
    return new ModelLoadException(
        "Cannot serve the SavedModel in " + savedModelDir + ": " + problem);
  }
}
