/**
 * A Keras-style {@code model.summary()} of a ResNet architecture: every layer with its output
 * shape, parameters and multiply-adds, then the totals.
 *
 * <p>{@link io.github.resnetjava.summary.ModelSummarizer} reads the summary off the graph a {@link
 * io.github.resnetjava.model.ResNetModel} built (layers are the name scopes of the ops listed in
 * {@link io.github.resnetjava.summary.LayerKind}), so the architecture is never described twice;
 * {@link io.github.resnetjava.summary.SummaryTable} renders it as Keras prints it.
 *
 * <h2>What it may use</h2>
 *
 * <p>{@code model} (the model it summarizes), {@code layers} (the layout and the batch-norm op name
 * it recognises layers by), TensorFlow Java and the JDK. It is a side branch above {@code model}:
 * only {@code cli} uses it, and it imports nothing from {@code export}, {@code train}, {@code
 * serving}, {@code gpu} or {@code cli}.
 */
package io.github.resnetjava.summary;
