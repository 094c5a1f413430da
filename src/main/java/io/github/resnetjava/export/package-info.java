/**
 * Writing a built model as a SavedModel that TensorFlow Serving, this library's {@code serving}
 * package or any TensorFlow runtime can load.
 *
 * <ul>
 *   <li>{@link io.github.resnetjava.export.ServingGraph}: the model's inference pass with the two
 *       serving signatures, {@code serving_default} (preprocessed pixels) and {@code image_bytes}
 *       (encoded images); {@link io.github.resnetjava.export.OptimizedServingGraph} is the same
 *       graph with frozen weights and folded batch norms, as TF1's {@code optimize_for_inference}
 *       and {@code convert_variables_to_constants} make it;
 *   <li>{@link io.github.resnetjava.export.SavedModelExporter}: the atomic write into TF Serving's
 *       layout {@code <modelsDir>/<name>/<version>/} ({@link
 *       io.github.resnetjava.savedmodel.ServingLayout}) under the names of {@link
 *       io.github.resnetjava.savedmodel.Signatures}, with {@link
 *       io.github.resnetjava.export.DurableFiles} for {@code fsync}.
 * </ul>
 *
 * <p>The {@code image_bytes} signature's preprocessing is built from {@code preprocessing}'s {@link
 * io.github.resnetjava.preprocessing.ImageBytesPreprocessing}, the definition {@code train} and
 * {@code serving} follow too.
 *
 * <h2>What it may use</h2>
 *
 * <p>{@code model} (the {@code ResNetModel} whose graph it exports), {@code preprocessing} (the
 * image preprocessing built into the graph), {@code savedmodel} (the contract it writes), {@code
 * layers}, TensorFlow Java, SLF4J and the JDK. It imports nothing from {@code train}, {@code
 * serving}, {@code summary}, {@code gpu} or {@code cli}.
 */
package io.github.resnetjava.export;
