package io.github.resnetjava.serving;

import io.github.resnetjava.preprocessing.ImagePreprocessing;
import io.github.resnetjava.savedmodel.Signatures;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Verifies bfloat16 compute before a {@link Classifier} serves with it: the model is loaded twice,
 * with {@code auto_mixed_precision_onednn_bfloat16} on and off, the same {@value #PROBE_IMAGES}
 * deterministic probe images go through both, as a batch and one alone, {@value #PROBE_RUNS} runs
 * in all, and bfloat16 is kept only if every run gives float32's class probabilities, each within
 * {@value #PROBABILITY_TOLERANCE}, and logits within {@value #LOGIT_TOLERANCE} of each image's
 * largest float32 logit. Otherwise the float32 model is served and a warning says why.
 *
 * <p>Why a check and not trust: on an AMD EPYC of CPU family 26 (AVX-512 BF16, oneDNN 3.5 in
 * TensorFlow 2.18) the rewritten graph of a small ResNet-18 with 7 classes gives logits of 21 and
 * then 1e11 where float32 gives 10.7, different on every run; with the {@code Softmax} or {@code
 * FusedBatchNormV3} put on the rewrite's deny list (an environment variable, which a library cannot
 * set for its host process) it agrees, and its logits {@code MatMul} then stays in float32. Which
 * kernels are wrong depends on the CPU and the shapes, so the model at hand is tested on the CPU at
 * hand. Probabilities alone do not tell: noise images saturate the softmax of an untrained model to
 * the same one-hot answer however wrong the logits are.
 */
final class Bfloat16Check {
  /** The largest difference of any class probability bfloat16 may make (8 mantissa bits). */
  static final float PROBABILITY_TOLERANCE = 0.06f;

  /** The largest logit difference bfloat16 may make, relative to the largest float32 logit. */
  static final float LOGIT_TOLERANCE = 0.1f;

  /** Images of the probe batch. */
  static final int PROBE_IMAGES = 4;

  /** Runs of the bfloat16 model: the batch, its first image alone, the batch again. */
  static final int PROBE_RUNS = 3;

  private static final Logger LOG = LoggerFactory.getLogger(Bfloat16Check.class);
  private static final long PROBE_SEED = 0x5EED_B16L;

  /**
   * What a load with bfloat16 asked for ended with.
   *
   * @param bundle the model to serve (the caller closes it)
   * @param config the settings it runs with: {@code bfloat16} only if the check passed
   * @param refusal why bfloat16 is not used, when it was asked for and failed the check
   */
  record Outcome(SavedModelBundle bundle, SessionConfig config, Optional<String> refusal) {}

  private Bfloat16Check() {}

  /**
   * Loads {@code savedModelDir} with {@code config}; when {@code config.bfloat16()}, also in
   * float32, and keeps the bfloat16 model only if the probe batch agrees. The model not kept is
   * closed.
   *
   * @param loader loads the SavedModel with the given settings
   */
  static Outcome load(
      Path savedModelDir, SessionConfig config, Function<SessionConfig, SavedModelBundle> loader) {
    if (!config.bfloat16()) {
      return new Outcome(loader.apply(config), config, Optional.empty());
    }
    SessionConfig float32Config = config.withBfloat16(false);
    SavedModelBundle float32 = loader.apply(float32Config);
    SavedModelBundle bfloat16 = null;
    try {
      bfloat16 = loader.apply(config);
      Optional<String> disagreement = compare(savedModelDir, float32, bfloat16);
      if (disagreement.isEmpty()) {
        float32.close();
        return new Outcome(bfloat16, config, Optional.empty());
      }
      bfloat16.close();
      String refusal =
          "bfloat16 compute (oneDNN auto mixed precision) gives wrong results for "
              + savedModelDir
              + " on this CPU: "
              + disagreement.get()
              + "; serving it in float32 instead";
      LOG.warn(refusal);
      return new Outcome(float32, float32Config, Optional.of(refusal));
    } catch (RuntimeException e) {
      float32.close();
      if (bfloat16 != null) {
        bfloat16.close();
      }
      throw e;
    }
  }

  private static Optional<String> compare(
      Path savedModelDir, SavedModelBundle float32, SavedModelBundle bfloat16) {
    ServingTensors tensors = ServingTensors.resolve(float32, savedModelDir);
    int classes = tensors.numClasses();
    float[] images = probeImages(tensors.preprocessing().resizeDim());
    Scores expected = Scores.of(float32, savedModelDir, images, PROBE_IMAGES);
    Optional<String> disagreement = Optional.empty();
    for (int run = 0; run < PROBE_RUNS && disagreement.isEmpty(); run++) {
      int batch = run == 1 ? 1 : PROBE_IMAGES;
      Scores actual = Scores.of(bfloat16, savedModelDir, images, batch);
      disagreement =
          disagreement(expected.probabilities(), actual.probabilities(), classes)
              .or(() -> logitDisagreement(expected.logits(), actual.logits(), classes));
    }
    return disagreement;
  }

  /**
   * Where bfloat16 probabilities differ from float32 ones by more than allowed, described. The
   * top-1 class needs no rule of its own: it can only change where float32's two best classes are
   * within twice the tolerance, a tie that rounding may break either way.
   *
   * @param float32 {@code [batch, classes]} float32 probabilities
   * @param bfloat16 {@code [n, classes]} probabilities of the first {@code n <= batch} of the same
   *     images in bfloat16
   * @return empty if every probability is within {@link #PROBABILITY_TOLERANCE} and none is NaN
   */
  static Optional<String> disagreement(float[] float32, float[] bfloat16, int classes) {
    for (int i = 0; i < bfloat16.length; i++) {
      // Negated so that NaN counts as a difference.
      if (!(Math.abs(float32[i] - bfloat16[i]) <= PROBABILITY_TOLERANCE)) {
        return Optional.of(
            "probe image "
                + i / classes
                + " class "
                + i % classes
                + " has probability "
                + bfloat16[i]
                + " in bfloat16 and "
                + float32[i]
                + " in float32 (allowed difference "
                + PROBABILITY_TOLERANCE
                + ")");
      }
    }
    return Optional.empty();
  }

  /**
   * As {@link #disagreement}, for logits: each within {@link #LOGIT_TOLERANCE} times the largest
   * absolute float32 logit of its image.
   */
  static Optional<String> logitDisagreement(float[] float32, float[] bfloat16, int classes) {
    for (int image = 0; image < bfloat16.length / classes; image++) {
      float scale = 0f;
      for (int c = 0; c < classes; c++) {
        scale = Math.max(scale, Math.abs(float32[image * classes + c]));
      }
      for (int c = 0; c < classes; c++) {
        int i = image * classes + c;
        if (!(Math.abs(float32[i] - bfloat16[i]) <= LOGIT_TOLERANCE * scale)) {
          return Optional.of(
              "probe image "
                  + image
                  + " class "
                  + c
                  + " has logit "
                  + bfloat16[i]
                  + " in bfloat16 and "
                  + float32[i]
                  + " in float32 (allowed difference "
                  + LOGIT_TOLERANCE * scale
                  + ")");
        }
      }
    }
    return Optional.empty();
  }

  /** Uniform noise over the range of the input signature (RGB 0..255 minus channel means). */
  private static float[] probeImages(int resizeDim) {
    Random random = new Random(PROBE_SEED);
    float[] images = new float[PROBE_IMAGES * resizeDim * resizeDim * ImagePreprocessing.CHANNELS];
    for (int i = 0; i < images.length; i++) {
      images[i] = random.nextFloat() * 255f - 128f;
    }
    return images;
  }

  /** The probabilities and logits of a probe run, {@code [batch, classes]} each. */
  private record Scores(float[] probabilities, float[] logits) {
    static Scores of(SavedModelBundle bundle, Path savedModelDir, float[] images, int batch) {
      ServingTensors tensors = ServingTensors.resolve(bundle, savedModelDir);
      int side = tensors.preprocessing().resizeDim();
      int pixels = side * side * ImagePreprocessing.CHANNELS;
      String logitsName =
          bundle
              .function(Signatures.SERVING_DEFAULT)
              .signature()
              .getOutputs()
              .get(Signatures.LOGITS)
              .name;
      float[] probabilities = new float[batch * tensors.numClasses()];
      float[] logits = new float[probabilities.length];
      try (TFloat32 input =
              TFloat32.tensorOf(
                  Shape.of(batch, side, side, ImagePreprocessing.CHANNELS),
                  DataBuffers.of(Arrays.copyOf(images, batch * pixels)));
          Result result =
              bundle
                  .session()
                  .runner()
                  .feed(tensors.input(), input)
                  .fetch(tensors.probabilities())
                  .fetch(logitsName)
                  .run()) {
        ((TFloat32) result.get(0)).copyTo(DataBuffers.of(probabilities));
        ((TFloat32) result.get(1)).copyTo(DataBuffers.of(logits));
      }
      return new Scores(probabilities, logits);
    }
  }
}
