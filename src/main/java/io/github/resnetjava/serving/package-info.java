/**
 * The embedding API: load an exported SavedModel once and classify images with it from many
 * threads, as TensorFlow Serving's {@code Classify}/{@code Predict} would, inside the JVM.
 *
 * <ul>
 *   <li>{@link io.github.resnetjava.serving.Classifier}: the model loaded once (tag {@code serve}),
 *       its signature tensors resolved once, thread-safe calls on one session; errors come out as
 *       {@link io.github.resnetjava.serving.ModelLoadException} or {@link
 *       io.github.resnetjava.serving.InvalidInputException}, results as {@link
 *       io.github.resnetjava.serving.Prediction}s ranked as {@code tf.math.top_k} ranks them;
 *   <li>{@link io.github.resnetjava.serving.SessionConfig}: TF's {@code ConfigProto} thread pools
 *       and opt-in bfloat16 compute (verified against float32 before it is used);
 *   <li>{@link io.github.resnetjava.serving.ImageFormat} and {@link
 *       io.github.resnetjava.serving.ImageHeader}: the formats TF's {@code DecodeImage} accepts,
 *       told apart and sized from the header, so images over the {@link
 *       io.github.resnetjava.preprocessing.ImageLimits} are refused before TensorFlow decodes them.
 * </ul>
 *
 * <h2>What it may use</h2>
 *
 * <p>It needs only a SavedModel: it builds no model and writes none, and imports nothing from
 * {@code export}, {@code model}, {@code layers}, {@code train}, {@code summary}, {@code gpu} or
 * {@code cli}. It uses {@code savedmodel}, the contract of what an export contains ({@link
 * io.github.resnetjava.savedmodel.Signatures} and {@link
 * io.github.resnetjava.savedmodel.ServingLayout}), and {@code preprocessing}, the image
 * preprocessing ({@link io.github.resnetjava.preprocessing.ImagePreprocessor} runs the exported
 * graph's {@code image_bytes} preprocessing in Java), and {@code runtime} ({@link
 * io.github.resnetjava.runtime.TensorFlowStartup}, asked before a model loads). Servers and batch
 * jobs built on top of it use this package, never the model builder.
 */
package io.github.resnetjava.serving;
