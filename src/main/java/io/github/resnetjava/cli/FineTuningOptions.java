package io.github.resnetjava.cli;

import io.github.resnetjava.train.FineTuning;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code train}'s fine-tuning options: {@code --init-from}, {@code --freeze-backbone}, {@code
 * --train-final-batch-norm} and {@code --backbone-lr-scale}, turned into a {@link FineTuning}.
 */
final class FineTuningOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--init-from",
      paramLabel = "PATH",
      description =
          "Start from trained weights: a SavedModel version directory, a"
              + " models/<name> directory (its highest version) or a checkpoint prefix"
              + " (runs/<name>/ckpt-<step>). Every variable of the same TF1 name and shape is taken"
              + " over; a logits layer for another class count starts fresh.")
  Path initFrom;

  @Option(
      names = "--freeze-backbone",
      description =
          "Train the logits layer only; the backbone runs in inference mode, its"
              + " batch-norm statistics frozen.")
  boolean freezeBackbone;

  @Option(
      names = "--train-final-batch-norm",
      description =
          "With --freeze-backbone, also train the final batch norm's scale and" + " offset.")
  boolean trainFinalBatchNorm;

  @Option(
      names = "--backbone-lr-scale",
      paramLabel = "F",
      description =
          "Learning-rate factor of every layer but logits, e.g. 0.1 to fine-tune the"
              + " restored layers gently (default: 1).")
  Double backboneLearningRateScale;

  /**
   * The {@link FineTuning} these options ask for.
   *
   * @throws ParameterException naming the options that do not go together
   */
  FineTuning fineTuning() {
    if (initFrom == null && (freezeBackbone || backboneLearningRateScale != null)) {
      throw new ParameterException(
          spec.commandLine(),
          "--freeze-backbone and --backbone-lr-scale need --init-from PATH: a backbone to keep");
    }
    if (trainFinalBatchNorm && !freezeBackbone) {
      throw new ParameterException(
          spec.commandLine(), "--train-final-batch-norm goes with --freeze-backbone");
    }
    if (freezeBackbone && backboneLearningRateScale != null) {
      throw new ParameterException(
          spec.commandLine(),
          "--backbone-lr-scale has no effect with --freeze-backbone: use one of them");
    }
    if (initFrom == null) {
      return FineTuning.NONE;
    }
    FineTuning fineTuning = FineTuning.initFrom(initFrom);
    if (freezeBackbone) {
      return fineTuning.withFrozenBackbone(trainFinalBatchNorm);
    }
    if (backboneLearningRateScale != null) {
      if (!(backboneLearningRateScale > 0) || backboneLearningRateScale.isInfinite()) {
        throw new ParameterException(
            spec.commandLine(),
            "--backbone-lr-scale must be a number > 0; got "
                + backboneLearningRateScale
                + " (to keep the backbone as it is, use --freeze-backbone)");
      }
      return fineTuning.withBackboneLearningRateScale(backboneLearningRateScale);
    }
    return fineTuning;
  }
}
