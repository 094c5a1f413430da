/**
 * The image preprocessing every part of the library shares: the official TF ResNet's evaluation
 * preprocessing ({@code official/r1/resnet/imagenet_preprocessing.py}, {@code
 * preprocess_image(is_training=False)}), defined once and followed by the exported graph, training
 * and the Java-side classifier alike.
 *
 * <ul>
 *   <li>{@link io.github.resnetjava.preprocessing.ImagePreprocessing}: the definition (resize
 *       sizes, central crop, channel means);
 *   <li>{@link io.github.resnetjava.preprocessing.ImageBytesPreprocessing}: the definition built
 *       into a graph for a batch of encoded images ({@code tf.map_fn} over {@code decode_image},
 *       resize, crop, mean subtraction), as the {@code image_bytes} signature and training run it;
 *   <li>{@link io.github.resnetjava.preprocessing.ImagePreprocessor} and {@link
 *       io.github.resnetjava.preprocessing.ResizeBilinear}: the same preprocessing in Java, with
 *       TF's {@code ResizeBilinear} kernel arithmetic, for a decoded {@code BufferedImage};
 *   <li>{@link io.github.resnetjava.preprocessing.ImageLimits}: the pixel and aspect-ratio caps
 *       checked before an image is decoded or resized, refusing with {@link
 *       io.github.resnetjava.preprocessing.ImageRejectedException}.
 * </ul>
 *
 * <h2>What it may use</h2>
 *
 * <p>{@code layers} ({@code TensorShapes}' argument checks), TensorFlow Java and the JDK only: it
 * knows no model, file layout or session, so {@code export}, {@code train} and {@code serving} all
 * use it without using each other.
 */
package io.github.resnetjava.preprocessing;
