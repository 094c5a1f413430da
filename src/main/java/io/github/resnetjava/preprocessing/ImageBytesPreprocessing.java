package io.github.resnetjava.preprocessing;

import java.util.List;
import org.tensorflow.ConcreteFunction;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.MapDefun;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.image.DecodeImage;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;

/**
 * Builds {@link ImagePreprocessing} into a graph for a batch of encoded images: what the official
 * TF ResNet's {@code preprocess_image(is_training=False)} does to one image, mapped over a string
 * vector as {@code tf.map_fn} would.
 *
 * <p>Images of one batch may differ in size, so each is decoded, resized and cropped on its own. TF
 * Java has no {@code tf.map_fn}; the per-image work is a graph function applied with {@code
 * MapDefun}, TensorFlow's core op behind {@code tf.data}'s map vectorization, which runs the
 * function on every element of the leading axis and stacks the fixed-shape results. The function
 * travels inside the exported graph's function library, so a loaded SavedModel needs nothing else.
 *
 * <p>The graph trusts its input: {@code DecodeImage} allocates the whole image (every frame of a
 * GIF) before any op can see its size, and the resize runs before the crop (TF's {@code
 * ResizeBilinear} on a slice of the image gives other values, so cropping first is exact only in
 * Java, see {@link ResizeBilinear#resizeWindow}). {@code serving.Classifier} therefore checks each
 * file's header against its {@link ImageLimits} (pixels and aspect ratio, which bounds the resized
 * image to {@code minAspectDim^2} times the ratio) and cuts GIFs to their first frame before
 * feeding bytes to this graph; TF Serving clients need the same care.
 */
public final class ImageBytesPreprocessing {
  private static final String FUNCTION_INPUT = "image_bytes";
  private static final String FUNCTION_OUTPUT = "image";

  private ImageBytesPreprocessing() {}

  /**
   * Adds the preprocessing of {@code imageBytes} to {@code tf}'s graph.
   *
   * @param tf the ops factory of the graph to build in
   * @param imageBytes {@code [batch]} JPEG, PNG, GIF (first frame) or BMP files
   * @param preprocessing the sizes to resize and crop to
   * @return float32 {@code [batch, resizeDim, resizeDim, 3]}, NHWC, channel means subtracted
   */
  public static Operand<TFloat32> build(
      Ops tf, Operand<TString> imageBytes, ImagePreprocessing preprocessing) {
    if (imageBytes.shape().numDimensions() != 1) {
      throw new IllegalArgumentException(
          "imageBytes must be a string vector [batch]; got shape " + imageBytes.shape());
    }
    int side = preprocessing.resizeDim();
    // The graph copies the function when MapDefun is created, so ours can be closed right after.
    try (ConcreteFunction perImage =
        ConcreteFunction.create(fn -> perImageSignature(fn, preprocessing))) {
      MapDefun mapped =
          tf.mapDefun(
              List.of(imageBytes),
              List.of(),
              List.of(TFloat32.class),
              List.of(Shape.of(side, side, ImagePreprocessing.CHANNELS)),
              perImage);
      @SuppressWarnings("unchecked")
      Operand<TFloat32> images = (Operand<TFloat32>) mapped.output().get(0);
      return images;
    }
  }

  private static Signature perImageSignature(Ops tf, ImagePreprocessing preprocessing) {
    Placeholder<TString> encoded =
        tf.withName(FUNCTION_INPUT).placeholder(TString.class, Placeholder.shape(Shape.scalar()));
    Operand<TFloat32> image = preprocessImage(tf, encoded, preprocessing);
    return Signature.builder()
        .input(FUNCTION_INPUT, encoded)
        .output(FUNCTION_OUTPUT, image)
        .build();
  }

  /** One image: decode, aspect-preserving resize, central crop, mean subtraction. */
  private static Operand<TFloat32> preprocessImage(
      Ops tf, Operand<TString> encoded, ImagePreprocessing preprocessing) {
    // expand_animations=False keeps a GIF 3-D (its first frame), like the other formats.
    Operand<TUint8> rgb =
        tf.image.decodeImage(
            encoded,
            TUint8.class,
            DecodeImage.channels((long) ImagePreprocessing.CHANNELS),
            DecodeImage.expandAnimations(false));
    Operand<TInt32> newSize = resizedSize(tf, rgb, preprocessing);
    Operand<TFloat32> resized =
        tf.squeeze(
            tf.image.resizeBilinear(
                tf.expandDims(rgb, tf.constant(0)),
                newSize,
                ResizeBilinear.alignCorners(false),
                ResizeBilinear.halfPixelCenters(false)),
            Squeeze.axis(List.of(0L)));
    int side = preprocessing.resizeDim();
    Operand<TInt32> offsets =
        tf.math.floorDiv(tf.math.sub(newSize, tf.constant(side)), tf.constant(2));
    Operand<TFloat32> cropped =
        tf.slice(
            resized,
            tf.concat(List.of(offsets, tf.constant(new int[] {0})), tf.constant(0)),
            tf.constant(new int[] {side, side, ImagePreprocessing.CHANNELS}));
    return tf.math.sub(cropped, tf.constant(channelMeans()));
  }

  /** {@link ImagePreprocessing#resizedSize} in float32 graph ops: {@code [newHeight, newWidth]}. */
  private static Operand<TInt32> resizedSize(
      Ops tf, Operand<TUint8> rgb, ImagePreprocessing preprocessing) {
    Operand<TFloat32> size =
        tf.dtypes.cast(
            tf.slice(tf.shape(rgb), tf.constant(new int[] {0}), tf.constant(new int[] {2})),
            TFloat32.class);
    Operand<TFloat32> ratio =
        tf.math.div(
            tf.constant((float) preprocessing.minAspectDim()), tf.min(size, tf.constant(0)));
    Operand<TInt32> truncated = tf.dtypes.cast(tf.math.mul(size, ratio), TInt32.class);
    return tf.math.maximum(truncated, tf.constant(preprocessing.minAspectDim()));
  }

  private static float[] channelMeans() {
    float[] means = new float[ImagePreprocessing.CHANNELS];
    for (int c = 0; c < means.length; c++) {
      means[c] = ImagePreprocessing.channelMean(c);
    }
    return means;
  }
}
