package io.github.resnetjava.server;

import io.github.resnetjava.savedmodel.Signatures;
import io.github.resnetjava.serving.Classifier;
import io.github.resnetjava.serving.InvalidInputException;
import io.github.resnetjava.serving.SessionConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.exceptions.TensorFlowException;

/**
 * One loaded version of one model (a TF Serving "servable"): a {@link Classifier} over the
 * version's SavedModel and its signatures, run generically by alias.
 *
 * <p>Requests hold a reference ({@link #tryAcquire()} ... {@link #release()}) while they use it;
 * {@link #retire()} refuses new references and closes the model once the last one is released, so a
 * version swapped out or unloaded finishes the requests it already took.
 */
final class ServedVersion {
  private final String modelName;
  private final long version;
  private final Classifier classifier;
  private final Map<String, SignatureSpec> signatures;
  private int references;
  private boolean retired;
  private boolean closed;

  private ServedVersion(String modelName, long version, Classifier classifier) {
    this.modelName = modelName;
    this.version = version;
    this.classifier = classifier;
    Map<String, SignatureSpec> specs = new TreeMap<>();
    for (Signature signature : classifier.savedModel().signatures()) {
      specs.put(signature.key(), SignatureSpec.of(signature));
    }
    this.signatures = Collections.unmodifiableMap(specs);
  }

  /**
   * Loads {@code <modelsDir>/<modelName>/<version>}.
   *
   * @throws io.github.resnetjava.serving.ModelLoadException if it cannot be served
   */
  static ServedVersion load(String modelName, long version, Path versionDir, SessionConfig config) {
    Classifier classifier = Classifier.load(versionDir, config);
    try {
      return new ServedVersion(modelName, version, classifier);
    } catch (RuntimeException e) {
      classifier.close();
      throw e;
    }
  }

  String modelName() {
    return modelName;
  }

  long version() {
    return version;
  }

  Path directory() {
    return classifier.savedModelDir();
  }

  /** The signatures by key, sorted. */
  Map<String, SignatureSpec> signatures() {
    return signatures;
  }

  /**
   * The signature {@code key}.
   *
   * @throws ServingException NOT_FOUND if the model has none by that name
   */
  SignatureSpec signature(String key) {
    SignatureSpec spec = signatures.get(key);
    if (spec == null) {
      throw ServingException.notFound(
          "Serving signature name: \""
              + key
              + "\" not found in signature def of model '"
              + modelName
              + "' version "
              + version
              + " (signatures: "
              + signatures.keySet()
              + ")");
    }
    return spec;
  }

  /**
   * Runs {@code signature} with {@code inputs} (one per input alias, already checked against the
   * signature) and fetches every output.
   *
   * @return the outputs by alias, in alias order
   * @throws ServingException INVALID_ARGUMENT if TensorFlow rejects the inputs
   */
  Map<String, HostTensor> run(SignatureSpec signature, Map<String, HostTensor> inputs) {
    Session session = classifier.savedModel().session();
    List<Tensor> feeds = new ArrayList<>(inputs.size());
    try {
      Session.Runner runner = session.runner();
      for (Map.Entry<String, HostTensor> input : inputs.entrySet()) {
        Tensor tensor = input.getValue().toTensor();
        feeds.add(tensor);
        runner.feed(signature.inputs().get(input.getKey()).tensorName(), tensor);
      }
      List<String> aliases = new ArrayList<>(signature.outputs().keySet());
      for (String alias : aliases) {
        runner.fetch(signature.outputs().get(alias).tensorName());
      }
      try (Result result = runner.run()) {
        Map<String, HostTensor> outputs = new LinkedHashMap<>();
        for (int i = 0; i < aliases.size(); i++) {
          outputs.put(aliases.get(i), HostTensor.copyOf(result.get(i)));
        }
        return outputs;
      }
    } catch (TensorFlowException | TFInvalidArgumentException e) {
      throw new ServingException(
          ServingException.Code.INVALID_ARGUMENT,
          "TensorFlow rejected the input: " + firstLine(e.getMessage()),
          e);
    } finally {
      feeds.forEach(Tensor::close);
    }
  }

  /**
   * {@code inputs} with each image of the {@value Signatures#IMAGE_BYTES} signature admitted by the
   * Classifier's header check ({@link Classifier#admitEncoded}), as {@code classifyEncoded} does:
   * an image over the pixel limits is refused before TensorFlow decodes it.
   *
   * @throws ServingException INVALID_ARGUMENT for an image the check refuses
   */
  Map<String, HostTensor> admit(SignatureSpec signature, Map<String, HostTensor> inputs) {
    HostTensor images = inputs.get(Signatures.IMAGE_BYTES_INPUT);
    if (!signature.key().equals(Signatures.IMAGE_BYTES) || images == null) {
      return inputs;
    }
    byte[][] files = (byte[][]) images.values();
    byte[][] admitted = new byte[files.length][];
    for (int i = 0; i < files.length; i++) {
      try {
        admitted[i] = classifier.admitEncoded(files[i], i);
      } catch (InvalidInputException e) {
        throw new ServingException(ServingException.Code.INVALID_ARGUMENT, e.getMessage(), e);
      }
    }
    Map<String, HostTensor> checked = new LinkedHashMap<>(inputs);
    checked.put(
        Signatures.IMAGE_BYTES_INPUT, HostTensor.of(images.dtype(), images.shape(), admitted));
    return checked;
  }

  /** Takes a reference for one request; false once the version is retired. */
  synchronized boolean tryAcquire() {
    if (retired) {
      return false;
    }
    references++;
    return true;
  }

  /** Gives back a reference taken by {@link #tryAcquire()}. */
  void release() {
    boolean closeNow;
    synchronized (this) {
      references--;
      closeNow = retired && references == 0 && !closed;
      closed |= closeNow;
    }
    if (closeNow) {
      classifier.close();
    }
  }

  /** Refuses new references and closes the model when the last one is given back. */
  void retire() {
    boolean closeNow;
    synchronized (this) {
      retired = true;
      closeNow = references == 0 && !closed;
      closed |= closeNow;
    }
    if (closeNow) {
      classifier.close();
    }
  }

  /** Whether the native model has been released (retired and no reference left). */
  synchronized boolean isClosed() {
    return closed;
  }

  private static String firstLine(String message) {
    String text = String.valueOf(message).strip();
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
