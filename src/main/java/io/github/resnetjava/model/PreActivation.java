package io.github.resnetjava.model;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * What the Python {@code pre_activation_with_shortcut} returns: {@code (pre_activated_inputs,
 * shortcut)}.
 *
 * @param preActivatedInputs {@code relu(batch_norm(inputs))}, same shape as the inputs
 * @param shortcut the inputs themselves, or their 1x1 projection when shortcut filters were given
 */
public record PreActivation(Operand<TFloat32> preActivatedInputs, Operand<TFloat32> shortcut) {}
