/**
 * The bottom layer: the TF1 {@code tf.layers} functions the Python {@code ResNetModel} calls, with
 * TF1's defaults, initializers, variable names and reuse, built into a TensorFlow Java graph, so
 * that {@code model} never repeats those semantics.
 *
 * <h2>Layers (TF1 equivalents)</h2>
 *
 * <ul>
 *   <li>{@link io.github.resnetjava.layers.Conv2dLayer}: {@code tf.layers.conv2d};
 *   <li>{@link io.github.resnetjava.layers.BatchNormalizationLayer}: {@code
 *       tf.layers.batch_normalization} (fused), with TF1's {@code UPDATE_OPS};
 *   <li>{@link io.github.resnetjava.layers.DenseLayer}: {@code tf.layers.dense};
 *   <li>{@link io.github.resnetjava.layers.PoolingLayer}: {@code tf.layers.max_pooling2d} and
 *       {@code tf.layers.average_pooling2d};
 *   <li>{@link io.github.resnetjava.layers.FoldedConvBatchNormLayer}: an inference-only convolution
 *       with the following batch normalization folded into it, under the names the unfused pair
 *       would have.
 * </ul>
 *
 * <h2>Weights</h2>
 *
 * <p>{@link io.github.resnetjava.layers.WeightStore} is TF1's {@code tf.get_variable}, with two
 * implementations: {@link io.github.resnetjava.layers.VariableStore} (TF1's {@code _VariableStore}
 * with {@code AUTO_REUSE}, {@code TRAINABLE_VARIABLES} and {@code UPDATE_OPS}) and {@link
 * io.github.resnetjava.layers.FrozenWeights} (constants, as TF1's {@code
 * convert_variables_to_constants} leaves them). {@link io.github.resnetjava.layers.Initializer} is
 * TF1's {@code kernel_initializer}/{@code bias_initializer} argument and {@link
 * io.github.resnetjava.layers.OpSeed} the {@code seed}/{@code seed2} pair of TF's random ops.
 * {@link io.github.resnetjava.layers.Layout} and {@link io.github.resnetjava.layers.Padding} are
 * TF's {@code data_format} and {@code padding} attributes.
 *
 * <h2>Infrastructure, not layers</h2>
 *
 * <p>Three classes have no {@code tf.layers} counterpart; they are the scope and validation
 * machinery every layer relies on:
 *
 * <ul>
 *   <li>{@link io.github.resnetjava.layers.LayerScope}: TF1's {@code tf.variable_scope} hierarchy
 *       and the per-scope counters behind TF1's default layer names ({@code conv2d}, {@code
 *       conv2d_1}, ...);
 *   <li>{@code PrefixScope} (package-private): the TensorFlow Java {@code Scope} a {@code
 *       LayerScope} hands out, which keeps names unique without scanning the whole graph;
 *   <li>{@link io.github.resnetjava.layers.TensorShapes}: static-shape and argument checks with
 *       messages that say what to change, also used by {@code export} and {@code serving}.
 * </ul>
 *
 * <h2>What it may use</h2>
 *
 * <p>TensorFlow Java and the JDK only: this package imports nothing from the rest of {@code
 * resnet-java}, and it knows no ResNet: no class here builds a residual block or names a ResNet
 * scope; layer and variable names come from the caller or from TF1's defaults. Every other package
 * may use it.
 */
package io.github.resnetjava.layers;
