/**
 * The SavedModel contract: what an exported model contains and where TensorFlow Serving finds it,
 * the one thing the exporter that writes a model and the loaders that read it agree on.
 *
 * <ul>
 *   <li>{@link io.github.resnetjava.savedmodel.Signatures}: the SignatureDef keys, tensor names,
 *       tag and file names of an export, shared by the exporter, the loaders and the tests;
 *   <li>{@link io.github.resnetjava.savedmodel.ServingLayout}: TF Serving's directory layout {@code
 *       <modelsDir>/<name>/<version>/}, read as TF Serving reads it (which directories are
 *       versions, which one is served, valid model names), including the hidden copy an overwriting
 *       export renames a version to while it swaps it.
 * </ul>
 *
 * <h2>What it may use</h2>
 *
 * <p>The JDK only: it imports nothing from the rest of {@code resnet-java} and no TensorFlow class,
 * so readers of a SavedModel ({@code serving}, {@code server}) and its writer ({@code export}, and
 * {@code train} through it) share it without using each other. It reads directories and writes
 * none; writing a version into the layout is {@code export}'s job.
 */
package io.github.resnetjava.savedmodel;
