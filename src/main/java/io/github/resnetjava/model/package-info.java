/**
 * The Python {@code ResNetModel} class in Java: a pre-activation ResNet (ResNet v2, He et al. 2016)
 * built into a TensorFlow graph with TF1 semantics.
 *
 * <p>{@link io.github.resnetjava.model.ResNetModel} has one method per Python method, in the same
 * order under the camelCase name: {@code customPadding} ({@code custom_padding}), {@code
 * customConv2d} ({@code custom_conv2d}), {@code preActivation} ({@code pre_activation}), {@code
 * preActivationWithShortcut} ({@code pre_activation_with_shortcut}), {@code regularBlock}, {@code
 * bottleneckBlock}, {@code blockLayer} and {@code modelLayers}; the depth table {@code
 * block_layer_sizes} is data ({@link io.github.resnetjava.model.ResNetModel#BLOCK_LAYER_SIZES}).
 * {@link io.github.resnetjava.model.DataFormat} is the Python {@code data_format} argument, {@link
 * io.github.resnetjava.model.ShortcutParams} the {@code shortcut_params} tuple and {@link
 * io.github.resnetjava.model.PreActivation} the tuple {@code pre_activation_with_shortcut} returns.
 * Variable and endpoint names are the TF1 graph's, so weights map across tools.
 *
 * <h2>What it may use</h2>
 *
 * <p>{@code layers} (for every TF1 layer, variable and scope), TensorFlow Java and the JDK; it
 * imports nothing from any other package of {@code resnet-java}. It knows no file format: it builds
 * ops and variables in a graph and reads or writes no file, checkpoint or SavedModel; exporting
 * ({@code export}) and training ({@code train}) are built on top of it.
 */
package io.github.resnetjava.model;
