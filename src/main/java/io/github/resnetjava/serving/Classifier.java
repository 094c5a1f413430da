package io.github.resnetjava.serving;

import io.github.resnetjava.preprocessing.ImageLimits;
import io.github.resnetjava.preprocessing.ImagePreprocessing;
import io.github.resnetjava.preprocessing.ImagePreprocessor;
import io.github.resnetjava.preprocessing.ImageRejectedException;
import io.github.resnetjava.runtime.OneDnnPolicy;
import io.github.resnetjava.runtime.TensorFlowStartup;
import io.github.resnetjava.savedmodel.Signatures;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.exceptions.TFUnimplementedException;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * Classifies images with a SavedModel exported by {@code export.SavedModelExporter}: the model is
 * loaded once (tag {@value Signatures#TAG_SERVE}) and its signature tensors are resolved once, so a
 * call only builds a feed, runs the session and reads the probabilities.
 *
 * <p>TensorFlow reports errors as {@code TensorFlowException}, {@code TFInvalidArgumentException}
 * (an {@code IllegalArgumentException}) or {@code TFUnimplementedException}; this class turns each
 * into a {@link ModelLoadException} or {@link InvalidInputException} naming the problem.
 *
 * <p>Loading the first model of a process chooses TensorFlow's CPU backend for it, before
 * TensorFlow loads, unless the user has chosen: oneDNN off for float32 inference, TensorFlow's own
 * choice with bfloat16 ({@link OneDnnPolicy}, {@code TF_ENABLE_ONEDNN_OPTS}, {@code
 * -Dresnet.onednn}), and its CPU allocator: TensorFlow's BFC allocator, which keeps the memory of
 * freed tensors for the next run ({@link io.github.resnetjava.runtime.CpuAllocatorPolicy}, {@code
 * TF_CPU_ALLOCATOR_USE_BFC}, {@code -Dresnet.cpu-allocator}); both through {@link
 * TensorFlowStartup}.
 *
 * <p>Thread-safe: calls share one TensorFlow session, whose {@code run} is thread-safe, and only
 * share a read lock that {@link #close()} waits on. {@link #close()} releases the native model;
 * calls after it fail. The session's thread pools are set by {@link SessionConfig}.
 *
 * <p>Results are the {@code topK} classes by the {@value Signatures#PROBABILITIES} output, in
 * {@code tf.math.top_k} order (descending probability, lower index first among ties); a {@code
 * topK} above the class count returns every class.
 */
public final class Classifier implements AutoCloseable {
  private static final int CHANNELS = ImagePreprocessing.CHANNELS;

  private final Path savedModelDir;
  private final SavedModelBundle bundle;
  private final Session session;
  private final ServingTensors tensors;
  private final int resizeDim;
  private final int numClasses;
  private final List<String> labels;
  private final ImageLimits limits;
  private final ImagePreprocessor preprocessor;
  private final SessionConfig sessionConfig;
  private final Optional<String> bfloat16Refusal;
  // Calls share the read lock; close takes the write lock, so it waits for running calls instead
  // of freeing the native session under them.
  private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;

  private Classifier(Path savedModelDir, Bfloat16Check.Outcome loaded, ImageLimits limits) {
    this.savedModelDir = savedModelDir;
    this.bundle = loaded.bundle();
    this.sessionConfig = loaded.config();
    this.bfloat16Refusal = loaded.refusal();
    this.session = bundle.session();
    this.tensors = ServingTensors.resolve(bundle, savedModelDir);
    this.resizeDim = tensors.preprocessing().resizeDim();
    this.numClasses = tensors.numClasses();
    this.labels = ModelDirectory.readLabels(savedModelDir, numClasses);
    this.limits = limits;
    this.preprocessor = new ImagePreprocessor(tensors.preprocessing(), limits);
  }

  /**
   * Loads a model for serving with {@link SessionConfig#defaults()}.
   *
   * @param modelDir a SavedModel directory (holding {@code saved_model.pb}), or a TF Serving model
   *     directory {@code <modelsDir>/<name>} whose highest numeric version is loaded
   * @throws ModelLoadException if the directory is missing, holds no SavedModel, or the SavedModel
   *     lacks the {@link Signatures} of a {@code resnet-java} export
   */
  public static Classifier load(Path modelDir) {
    return load(modelDir, SessionConfig.defaults());
  }

  /**
   * As {@link #load(Path)}, with the given session settings (thread pools, bfloat16 compute). With
   * {@link SessionConfig#bfloat16()}, bfloat16 is first checked against float32 on a probe batch
   * (see {@link #bfloat16Refusal()}); where it disagrees, the model runs in float32 and a warning
   * is logged.
   *
   * @throws IllegalArgumentException if {@code config} is null
   */
  public static Classifier load(Path modelDir, SessionConfig config) {
    return load(modelDir, config, ImageLimits.defaults());
  }

  /**
   * As {@link #load(Path, SessionConfig)}, refusing images over {@code limits} (checked from the
   * header, before decoding) instead of over {@link ImageLimits#defaults()}.
   *
   * @throws ModelLoadException for every failure to load the model, with the cause attached
   * @throws IllegalArgumentException if {@code config} or {@code limits} is null
   */
  public static Classifier load(Path modelDir, SessionConfig config, ImageLimits limits) {
    if (config == null) {
      throw new IllegalArgumentException("config must not be null; use SessionConfig.defaults()");
    }
    if (limits == null) {
      throw new IllegalArgumentException("limits must not be null; use ImageLimits.defaults()");
    }
    TensorFlowStartup.prepareFor(
        config.bfloat16()
            ? OneDnnPolicy.Workload.BFLOAT16_INFERENCE
            : OneDnnPolicy.Workload.INFERENCE);
    try {
      return loadChecked(modelDir, config, limits);
    } catch (ModelLoadException e) {
      throw e;
    } catch (RuntimeException e) {
      // TF maps its status codes to many JDK exception types (IllegalStateException for
      // FAILED_PRECONDITION, IndexOutOfBoundsException for OUT_OF_RANGE, ...); a caller of load
      // catches one type.
      throw new ModelLoadException("Cannot load the model in " + modelDir + ": " + firstLine(e), e);
    }
  }

  private static Classifier loadChecked(Path modelDir, SessionConfig config, ImageLimits limits) {
    Path savedModelDir = ModelDirectory.resolveSavedModel(modelDir);
    ProcessThreadPools.PROCESS.recordLoad(config);
    Bfloat16Check.Outcome loaded =
        Bfloat16Check.load(savedModelDir, config, settings -> loadBundle(savedModelDir, settings));
    try {
      return new Classifier(savedModelDir, loaded, limits);
    } catch (RuntimeException e) {
      loaded.bundle().close();
      throw e;
    }
  }

  private static SavedModelBundle loadBundle(Path savedModelDir, SessionConfig config) {
    try {
      return SavedModelBundle.loader(savedModelDir.toString())
          .withTags(Signatures.TAG_SERVE)
          .withConfigProto(config.toConfigProto())
          .load();
    } catch (TensorFlowException | TFInvalidArgumentException | TFUnimplementedException e) {
      throw new ModelLoadException(
          "TensorFlow could not load the SavedModel in "
              + savedModelDir
              + " with tag '"
              + Signatures.TAG_SERVE
              + "': "
              + firstLine(e),
          e);
    }
  }

  /**
   * Classifies preprocessed images through the {@value Signatures#SERVING_DEFAULT} signature.
   *
   * @param imagesNhwc {@code [batch, resizeDim, resizeDim, 3]} row-major, scaled as {@link
   *     Signatures} describes (RGB 0 to 255 minus the channel means)
   * @param batch the number of images, {@code >= 1}
   * @param topK classes per image, {@code >= 1}
   * @return per image, its {@code topK} predictions
   * @throws InvalidInputException for a wrong length, batch or topK, a NaN or infinite value, or
   *     probabilities that come out non-finite (pixels far out of range, or non-finite weights)
   */
  public List<List<Prediction>> classify(float[] imagesNhwc, int batch, int topK) {
    if (imagesNhwc == null) {
      throw new InvalidInputException("imagesNhwc must not be null");
    }
    requireImagesLength(imagesNhwc.length, batch);
    requireTopK(topK);
    requireFinite(FloatBuffer.wrap(imagesNhwc));
    try (TFloat32 images = TFloat32.tensorOf(imagesShape(batch), DataBuffers.of(imagesNhwc))) {
      return predictions(tensors.input(), images, batch, topK);
    }
  }

  /**
   * As {@link #classify(float[], int, int)}, reading the buffer's remaining floats without moving
   * its position.
   */
  public List<List<Prediction>> classify(FloatBuffer imagesNhwc, int batch, int topK) {
    if (imagesNhwc == null) {
      throw new InvalidInputException("imagesNhwc must not be null");
    }
    requireImagesLength(imagesNhwc.remaining(), batch);
    requireTopK(topK);
    requireFinite(imagesNhwc.slice());
    try (TFloat32 images =
        TFloat32.tensorOf(imagesShape(batch), DataBuffers.of(imagesNhwc.slice()))) {
      return predictions(tensors.input(), images, batch, topK);
    }
  }

  /**
   * Classifies one decoded image, preprocessed in Java exactly as the {@value
   * Signatures#IMAGE_BYTES} signature preprocesses encoded images (see {@link ImagePreprocessor}).
   *
   * @throws InvalidInputException for a null image, an image over the {@link #imageLimits()}, or a
   *     bad topK
   */
  public List<Prediction> classify(BufferedImage image, int topK) {
    if (image == null) {
      throw new InvalidInputException("image must not be null");
    }
    float[] pixels;
    try {
      pixels = preprocessor.preprocess(image);
    } catch (ImageRejectedException e) {
      throw new InvalidInputException(e.getMessage(), e);
    }
    return classify(pixels, 1, topK).get(0);
  }

  /**
   * Classifies one JPEG, PNG, GIF or BMP file through the {@value Signatures#IMAGE_BYTES} signature
   * (decoding and preprocessing in the graph).
   *
   * @throws InvalidInputException for empty bytes, a bad topK, another format, an image over the
   *     {@link #imageLimits()}, or bytes TensorFlow cannot decode
   */
  public List<Prediction> classifyEncoded(byte[] encodedImage, int topK) {
    return classifyEncoded(List.of(requireBytes(encodedImage, 0)), topK).get(0);
  }

  /**
   * Classifies a batch of encoded images of any sizes through the {@value Signatures#IMAGE_BYTES}
   * signature.
   *
   * <p>Each file's header is read in Java first ({@link ImageHeader}): files of other formats and
   * images over the {@link #imageLimits()} are refused before TensorFlow decodes anything, and of a
   * GIF only the first frame is passed on.
   *
   * @param encodedImages JPEG, PNG, GIF (first frame) or BMP files, at least one
   * @return per image, in order, its {@code topK} predictions
   * @throws InvalidInputException for an empty batch, empty bytes, a bad topK, another format, an
   *     image over the limits, or bytes TensorFlow cannot decode (the whole batch is rejected)
   */
  public List<List<Prediction>> classifyEncoded(List<byte[]> encodedImages, int topK) {
    if (encodedImages == null || encodedImages.isEmpty()) {
      throw new InvalidInputException("encodedImages must hold at least one image");
    }
    requireTopK(topK);
    byte[][] files = new byte[encodedImages.size()][];
    for (int i = 0; i < files.length; i++) {
      files[i] = admitEncoded(encodedImages.get(i), i);
    }
    try (TString bytes = TString.tensorOfBytes(NdArrays.vectorOfObjects(files))) {
      return predictions(tensors.imageBytes(), bytes, files.length, topK);
    }
  }

  /**
   * What {@link #classifyEncoded(List, int)} feeds the {@value Signatures#IMAGE_BYTES} signature
   * for image {@code index} of a batch: the file itself, or a GIF's first frame, once its header
   * passed {@link #imageLimits()}. For callers that run that signature on the session themselves,
   * such as the model server.
   *
   * @throws InvalidInputException for empty bytes, another format or an image over the limits
   */
  public byte[] admitEncoded(byte[] encodedImage, int index) {
    return EncodedImageGuard.admit(requireBytes(encodedImage, index), index, limits);
  }

  /** The side of the square images {@link #classify(float[], int, int)} takes. */
  public int resizeDim() {
    return resizeDim;
  }

  /** The number of classes the model scores. */
  public int numClasses() {
    return numClasses;
  }

  /** The class labels in index order: {@code labels.txt}, or the indices as text. */
  public List<String> labels() {
    return labels;
  }

  /** The largest images this classifier decodes, set when it was loaded. */
  public ImageLimits imageLimits() {
    return limits;
  }

  /** The preprocessing {@link #classify(BufferedImage, int)} applies. */
  public ImagePreprocessor preprocessor() {
    return preprocessor;
  }

  /**
   * The loaded SavedModel, for running fetches of its graph that this class does not offer (the
   * logits, an endpoint) on the same session, or for comparing with the raw TensorFlow API. It
   * belongs to this Classifier: do not close it; it is unusable once the Classifier is closed.
   */
  public SavedModelBundle savedModel() {
    return bundle;
  }

  /**
   * The session settings the model runs with: those it was loaded with, except {@code bfloat16}
   * turned off where {@link #bfloat16Refusal()} says why.
   */
  public SessionConfig sessionConfig() {
    return sessionConfig;
  }

  /**
   * Why the model runs in float32 although bfloat16 was asked for: on the probe batch, bfloat16 did
   * not give float32's top-1 class and probabilities within 0.06 on this CPU. Empty when bfloat16
   * was not asked for or is in use.
   */
  public Optional<String> bfloat16Refusal() {
    return bfloat16Refusal;
  }

  /** The SavedModel directory that was loaded (a version directory when a name was given). */
  public Path savedModelDir() {
    return savedModelDir;
  }

  /** Releases the native graph and session; idempotent. */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        bundle.close();
      }
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  private List<List<Prediction>> predictions(Output<?> feed, Tensor value, int batch, int topK) {
    float[] scores = new float[batch * numClasses];
    lifecycle.readLock().lock();
    try (Result result = runIfOpen(feed, value)) {
      ((TFloat32) result.get(0)).copyTo(DataBuffers.of(scores));
    } catch (TensorFlowException | TFInvalidArgumentException | TFUnimplementedException e) {
      // Decoding errors arrive as INVALID_ARGUMENT; the session itself is unharmed.
      throw new InvalidInputException(
          "TensorFlow rejected the input of " + batch + " image(s): " + firstLine(e), e);
    } finally {
      lifecycle.readLock().unlock();
    }
    requireFiniteProbabilities(scores);
    return TopK.of(scores, batch, numClasses, Math.min(topK, numClasses), labels);
  }

  private Result runIfOpen(Output<?> feed, Tensor value) {
    if (closed) {
      throw new IllegalStateException("This Classifier is closed");
    }
    return session.runner().feed(feed, value).fetch(tensors.probabilities()).run();
  }

  private Shape imagesShape(int batch) {
    return Shape.of(batch, resizeDim, resizeDim, CHANNELS);
  }

  private void requireImagesLength(long length, int batch) {
    if (batch < 1) {
      throw new InvalidInputException("batch must be >= 1; got " + batch);
    }
    long expected = (long) batch * resizeDim * resizeDim * CHANNELS;
    if (length != expected) {
      throw new InvalidInputException(
          "imagesNhwc must hold batch * "
              + resizeDim
              + " * "
              + resizeDim
              + " * "
              + CHANNELS
              + " = "
              + expected
              + " floats ([batch, height, width, channels], NHWC) for batch "
              + batch
              + "; got "
              + length);
    }
  }

  /** Refuses NaN and infinite pixels, which would make every probability NaN. */
  private void requireFinite(FloatBuffer imagesNhwc) {
    int perImage = resizeDim * resizeDim * CHANNELS;
    for (int i = 0; i < imagesNhwc.limit(); i++) {
      float value = imagesNhwc.get(i);
      if (!Float.isFinite(value)) {
        throw new InvalidInputException(
            "imagesNhwc holds "
                + value
                + " at index "
                + i
                + " (image "
                + i / perImage
                + "): every value must be finite (RGB 0 to 255 minus the channel means)");
      }
    }
  }

  private void requireFiniteProbabilities(float[] scores) {
    for (int i = 0; i < scores.length; i++) {
      if (!Float.isFinite(scores[i])) {
        throw new InvalidInputException(
            "The model's probabilities for image "
                + i / numClasses
                + " are not finite ("
                + scores[i]
                + "): the pixel values are too far outside the range it expects (RGB"
                + " 0 to 255 minus the channel means), or the model's weights are not finite");
      }
    }
  }

  private static void requireTopK(int topK) {
    if (topK < 1) {
      throw new InvalidInputException("topK must be >= 1; got " + topK);
    }
  }

  private static byte[] requireBytes(byte[] encodedImage, int index) {
    if (encodedImage == null || encodedImage.length == 0) {
      throw new InvalidInputException("Encoded image " + index + " is null or empty");
    }
    return encodedImage;
  }

  /** TF's message without the {@code [[{{node ...}}]]} lines it appends. */
  private static String firstLine(RuntimeException e) {
    String message = String.valueOf(e.getMessage()).strip();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
