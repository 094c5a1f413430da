package io.github.resnetjava.savedmodel;

/**
 * Names shared by the exporter, the loader and the tests: SignatureDef keys, their input and output
 * names, the SavedModel tag and the files and graph nodes written beside them.
 *
 * <p>An exported model has two signatures with the same three outputs:
 *
 * <ul>
 *   <li>{@value #SERVING_DEFAULT}: input {@value #INPUT}, float32 {@code [batch, resizeDim,
 *       resizeDim, 3]}, always NHWC whatever the model's data format, RGB values 0 to 255 minus the
 *       official TF ResNet channel means {@link
 *       io.github.resnetjava.preprocessing.ImagePreprocessing#CHANNEL_MEANS} (the {@code
 *       _mean_image_subtraction} of {@code official/r1/resnet/imagenet_preprocessing.py});
 *   <li>{@value #IMAGE_BYTES}: input {@value #IMAGE_BYTES_INPUT}, string {@code [batch]} of JPEG,
 *       PNG, GIF or BMP files, each preprocessed in the graph as {@link
 *       io.github.resnetjava.preprocessing.ImagePreprocessing} describes, images of different sizes
 *       in one batch.
 * </ul>
 *
 * Outputs: {@value #CLASSES} int64 {@code [batch]} (arg max of the logits), {@value #PROBABILITIES}
 * float32 {@code [batch, numClasses]} (softmax) and {@value #LOGITS} float32 {@code [batch,
 * numClasses]}.
 */
public final class Signatures {
  private Signatures() {}

  /** Key of the float-image signature; TF Serving's default signature key. */
  public static final String SERVING_DEFAULT = "serving_default";

  /** Key of the encoded-image signature. */
  public static final String IMAGE_BYTES = "image_bytes";

  /** Input of {@value #SERVING_DEFAULT}: preprocessed NHWC float32 images. */
  public static final String INPUT = "input";

  /** Input of {@value #IMAGE_BYTES}: a string vector of encoded images. */
  public static final String IMAGE_BYTES_INPUT = "image_bytes";

  /** Output: int64 {@code [batch]}, the arg max of the logits. */
  public static final String CLASSES = "classes";

  /** Output: float32 {@code [batch, numClasses]}, the softmax of the logits. */
  public static final String PROBABILITIES = "probabilities";

  /** Output: float32 {@code [batch, numClasses]}, the model's logits. */
  public static final String LOGITS = "logits";

  /** The MetaGraphDef tag TF Serving loads ({@code tf.saved_model.SERVING}). */
  public static final String TAG_SERVE = "serve";

  /**
   * The SignatureDef method name of both signatures, TF Serving's Predict API ({@code
   * tf.saved_model.PREDICT_METHOD_NAME}).
   */
  public static final String PREDICT_METHOD_NAME = "tensorflow/serving/predict";

  /** Class labels, one per line in class-index order, beside {@code saved_model.pb}. */
  public static final String LABELS_FILE = "labels.txt";

  /**
   * Graph node (not a signature output): an int32 scalar constant holding the model's {@code
   * minAspectDim}, which Java-side preprocessing needs and no signature shape carries.
   */
  public static final String MIN_ASPECT_DIM_NODE = "min_aspect_dim";

  /**
   * Graph node (not a signature output): the {@value #IMAGE_BYTES} batch after in-graph
   * preprocessing, float32 {@code [batch, resizeDim, resizeDim, 3]}, for inspection and tests.
   */
  public static final String PREPROCESSED_IMAGES_NODE = "preprocessed_images";
}
