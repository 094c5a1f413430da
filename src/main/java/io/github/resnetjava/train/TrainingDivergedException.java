package io.github.resnetjava.train;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Training stopped because the loss or the weights stopped being finite numbers (NaN or infinity),
 * the failure TF's {@code tf.train.NanTensorHook} stops an Estimator for: the step it happened at,
 * the learning rate then, and the newest checkpoint, which was written before and is finite.
 * Nothing after the divergence is checkpointed or exported.
 */
public final class TrainingDivergedException extends RuntimeException {
  private final long step;
  private final double learningRate;
  private final transient Path lastGoodCheckpoint;

  /**
   * @param step the global step whose loss (or resulting weights) is not finite
   * @param learningRate the rate that step used
   * @param what what was found not finite, such as "the loss is NaN"
   * @param lastGoodCheckpoint the newest checkpoint, all finite, or {@code null} if none
   */
  public TrainingDivergedException(
      long step, double learningRate, String what, Path lastGoodCheckpoint) {
    super(
        String.format(
            Locale.ROOT,
            "Training diverged at step %d: %s (learning rate %.4g). %s Lower the learning rate"
                + " (--lr) or lengthen the warm-up (--warmup-steps) and train again.",
            step,
            what,
            learningRate,
            lastGoodCheckpoint == null
                ? "No checkpoint was written before it; nothing was exported."
                : "The checkpoints up to "
                    + lastGoodCheckpoint.getFileName()
                    + " are kept in "
                    + lastGoodCheckpoint.getParent()
                    + "; nothing was exported."));
    this.step = step;
    this.learningRate = learningRate;
    this.lastGoodCheckpoint = lastGoodCheckpoint;
  }

  /** The global step at which training diverged. */
  public long step() {
    return step;
  }

  /** The learning rate of that step. */
  public double learningRate() {
    return learningRate;
  }

  /** The newest checkpoint, written before the divergence, if any. */
  public Optional<Path> lastGoodCheckpoint() {
    return Optional.ofNullable(lastGoodCheckpoint);
  }
}
