package io.github.resnetjava.export;

import io.github.resnetjava.model.ResNetModel;
import io.github.resnetjava.preprocessing.ImageBytesPreprocessing;
import io.github.resnetjava.preprocessing.ImagePreprocessing;
import io.github.resnetjava.savedmodel.Signatures;
import java.util.List;
import org.tensorflow.ExecutionEnvironment;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * The inference graph of a {@link ResNetModel} with the inputs and outputs of the two serving
 * signatures described in {@link Signatures}, added to the graph the model was built on.
 *
 * <p>The model runs once, with {@code isTraining = false}, on whichever input a caller feeds: the
 * {@value Signatures#INPUT} placeholder defaults to the preprocessed {@value
 * Signatures#IMAGE_BYTES_INPUT} batch ({@code PlaceholderWithDefault}), so feeding {@code input}
 * prunes the decoding away and feeding {@code image_bytes} computes {@code input} from it. One
 * model call, rather than one per input path, keeps the graph half the size; the weights are the
 * model's variables either way. A channels_first model gets its NHWC input transposed to NCHW
 * first.
 *
 * <p>The signature nodes are named at the graph's root ({@code input}, {@code image_bytes}, {@code
 * classes}, {@code probabilities}, plus the nodes {@value Signatures#MIN_ASPECT_DIM_NODE} and
 * {@value Signatures#PREPROCESSED_IMAGES_NODE}), so a graph holds at most one serving graph. No op
 * is pinned to a device.
 */
public final class ServingGraph {
  private static final List<String> ROOT_NODES =
      List.of(
          Signatures.INPUT,
          Signatures.IMAGE_BYTES_INPUT,
          Signatures.CLASSES,
          Signatures.PROBABILITIES,
          Signatures.MIN_ASPECT_DIM_NODE,
          Signatures.PREPROCESSED_IMAGES_NODE);

  private final ResNetModel model;
  private final Graph graph;
  private final Operand<TFloat32> input;
  private final Operand<TString> imageBytes;
  private final Operand<TFloat32> preprocessedImages;
  private final Operand<TInt64> classes;
  private final Operand<TFloat32> probabilities;
  private final Operand<TFloat32> logits;

  private ServingGraph(
      ResNetModel model,
      Graph graph,
      Operand<TFloat32> input,
      Operand<TString> imageBytes,
      Operand<TFloat32> preprocessedImages,
      Operand<TInt64> classes,
      Operand<TFloat32> probabilities,
      Operand<TFloat32> logits) {
    this.model = model;
    this.graph = graph;
    this.input = input;
    this.imageBytes = imageBytes;
    this.preprocessedImages = preprocessedImages;
    this.classes = classes;
    this.probabilities = probabilities;
    this.logits = logits;
  }

  /**
   * Adds the serving inputs, {@code model.modelLayers(input, false)} and the serving outputs to the
   * graph {@code model} was built on. The model's variables are created if no earlier call created
   * them, and shared otherwise (a training graph's weights serve as they are).
   *
   * @throws IllegalArgumentException if the model is not built on a {@link Graph}, or the graph
   *     already has a node of one of the serving names
   */
  public static ServingGraph build(ResNetModel model) {
    if (model == null) {
      throw new IllegalArgumentException("model must not be null");
    }
    Graph graph = graphOf(model);
    requireNoServingNodes(graph);
    ImagePreprocessing preprocessing =
        new ImagePreprocessing(model.minAspectDim(), model.resizeDim());
    Ops root = Ops.create(graph);
    Ops internal = root.withSubScope("serving");
    root.withName(Signatures.MIN_ASPECT_DIM_NODE).constant(model.minAspectDim());

    Operand<TString> imageBytes = imageBytesInput(root, internal);
    Operand<TFloat32> preprocessed =
        root.withName(Signatures.PREPROCESSED_IMAGES_NODE)
            .identity(ImageBytesPreprocessing.build(internal, imageBytes, preprocessing));
    int side = model.resizeDim();
    Operand<TFloat32> input =
        root.withName(Signatures.INPUT)
            .placeholderWithDefault(
                preprocessed, Shape.of(-1, side, side, ImagePreprocessing.CHANNELS));

    Operand<TFloat32> modelInput = model.dataFormat().layout().fromNhwc(internal, input);
    Operand<TFloat32> logits = model.modelLayers(modelInput, false);
    Operand<TFloat32> probabilities = root.withName(Signatures.PROBABILITIES).nn.softmax(logits);
    Operand<TInt64> classes =
        root.withName(Signatures.CLASSES).math.argMax(logits, internal.constant(1), TInt64.class);
    return new ServingGraph(
        model, graph, input, imageBytes, preprocessed, classes, probabilities, logits);
  }

  /**
   * The {@value Signatures#SERVING_DEFAULT} signature: {@value Signatures#INPUT} to the three
   * outputs.
   */
  public Signature servingDefaultSignature() {
    return signature(Signatures.SERVING_DEFAULT, Signatures.INPUT, input);
  }

  /**
   * The {@value Signatures#IMAGE_BYTES} signature: {@value Signatures#IMAGE_BYTES_INPUT} to the
   * three outputs.
   */
  public Signature imageBytesSignature() {
    return signature(Signatures.IMAGE_BYTES, Signatures.IMAGE_BYTES_INPUT, imageBytes);
  }

  /** Both signatures, {@value Signatures#SERVING_DEFAULT} first. */
  public List<Signature> signatures() {
    return List.of(servingDefaultSignature(), imageBytesSignature());
  }

  /** The model whose inference graph this is. */
  public ResNetModel model() {
    return model;
  }

  /** The graph holding the model and these nodes. */
  public Graph graph() {
    return graph;
  }

  /** {@code [batch, resizeDim, resizeDim, 3]} NHWC float32, channel means subtracted. */
  public Operand<TFloat32> input() {
    return input;
  }

  /** {@code [batch]} encoded images. */
  public Operand<TString> imageBytes() {
    return imageBytes;
  }

  /**
   * {@link #imageBytes()} after in-graph preprocessing: {@code [batch, resizeDim, resizeDim, 3]}.
   */
  public Operand<TFloat32> preprocessedImages() {
    return preprocessedImages;
  }

  /** int64 {@code [batch]}: the arg max of the logits ({@code tf.argmax(logits, axis=1)}). */
  public Operand<TInt64> classes() {
    return classes;
  }

  /** {@code [batch, numClasses]}: {@code tf.nn.softmax(logits)}. */
  public Operand<TFloat32> probabilities() {
    return probabilities;
  }

  /** {@code [batch, numClasses]}: the model's inference logits. */
  public Operand<TFloat32> logits() {
    return logits;
  }

  private Signature signature(String key, String inputName, Operand<?> inputOperand) {
    return Signature.builder()
        .key(key)
        .methodName(Signatures.PREDICT_METHOD_NAME)
        .input(inputName, inputOperand)
        .output(Signatures.CLASSES, classes)
        .output(Signatures.PROBABILITIES, probabilities)
        .output(Signatures.LOGITS, logits)
        .build();
  }

  private static void requireNoServingNodes(Graph graph) {
    for (String name : ROOT_NODES) {
      if (graph.operation(name) != null) {
        throw new IllegalArgumentException(
            "The graph already has a node named '"
                + name
                + "': build one ServingGraph per graph,"
                + " in a graph without nodes named "
                + ROOT_NODES);
      }
    }
  }

  /**
   * The {@value Signatures#IMAGE_BYTES_INPUT} placeholder, string {@code [batch]}. Without a feed
   * it is an empty batch: fetching the outputs alone (fed through {@value Signatures#INPUT})
   * preprocesses no image.
   */
  private static Operand<TString> imageBytesInput(Ops root, Ops internal) {
    Operand<TString> noImages =
        internal.fill(internal.constant(new int[] {0}), internal.constant(""));
    return root.withName(Signatures.IMAGE_BYTES_INPUT)
        .placeholderWithDefault(noImages, Shape.of(-1));
  }

  private static Graph graphOf(ResNetModel model) {
    ExecutionEnvironment env = model.tf().scope().env();
    if (!(env instanceof Graph)) {
      throw new IllegalArgumentException(
          "A serving graph needs a model built on a Graph (Ops.create(graph)); got " + env);
    }
    return (Graph) env;
  }
}
