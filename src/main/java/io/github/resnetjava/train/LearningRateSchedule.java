package io.github.resnetjava.train;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The learning rate as a pure function of the global step: a linear warm-up, then a cosine or a
 * piecewise-constant decay. Being a function of the step alone is what lets a resumed run continue
 * the schedule exactly.
 *
 * <p>The warm-up is the official TF ResNet's ({@code official/r1/resnet/resnet_run_loop.py}, {@code
 * learning_rate_with_decay(warmup=True)}): {@code baseLr * step / warmupSteps} while {@code step <
 * warmupSteps}, so step 0 trains at rate 0. After it:
 *
 * <ul>
 *   <li>{@link Decay#PIECEWISE}: the official schedule's {@code boundary_epochs = [30, 60, 80]} of
 *       a 90-epoch run and {@code decay_rates = [1, 0.1, 0.01, 0.001]}, with the boundaries placed
 *       at the same fractions (1/3, 2/3, 8/9) of {@code totalSteps}, as {@code
 *       tf.compat.v1.train.piecewise_constant} (a step equal to a boundary still gets the earlier
 *       rate);
 *   <li>{@link Decay#COSINE}: {@code tf.compat.v1.train.cosine_decay} over the steps after the
 *       warm-up, {@code 0.5 * baseLr * (1 + cos(pi * (step - warmupSteps) / (totalSteps -
 *       warmupSteps)))}, reaching 0 at {@code totalSteps} and staying there.
 * </ul>
 *
 * <p>Immutable.
 */
public final class LearningRateSchedule {
  /** How the rate decays after the warm-up. */
  public enum Decay {
    /** Half a cosine from {@code baseLr} down to 0 at the last step. */
    COSINE,
    /** The official ResNet's step decay by 10x at 1/3, 2/3 and 8/9 of the run. */
    PIECEWISE;

    /** The lower-case name the CLI takes: {@code cosine} or {@code piecewise}. */
    public String cliName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@link #cliName()}, ignoring case.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Decay parse(String text) {
      for (Decay decay : values()) {
        if (decay.cliName().equalsIgnoreCase(text == null ? "" : text.trim())) {
          return decay;
        }
      }
      throw new IllegalArgumentException(
          "Unknown schedule '"
              + text
              + "'; use one of "
              + Arrays.stream(values()).map(Decay::cliName).collect(Collectors.joining(", ")));
    }
  }

  /** The official schedule's boundaries as fractions of the run: epochs 30, 60, 80 of 90. */
  static final List<Double> PIECEWISE_BOUNDARY_FRACTIONS = List.of(30.0 / 90, 60.0 / 90, 80.0 / 90);

  /** The official schedule's {@code decay_rates} before, between and after the boundaries. */
  static final List<Double> PIECEWISE_MULTIPLIERS = List.of(1.0, 0.1, 0.01, 0.001);

  private final Decay decay;
  private final double baseLr;
  private final long warmupSteps;
  private final long totalSteps;
  private final long[] boundaries;

  private LearningRateSchedule(Decay decay, double baseLr, long warmupSteps, long totalSteps) {
    this.decay = decay;
    this.baseLr = baseLr;
    this.warmupSteps = warmupSteps;
    this.totalSteps = totalSteps;
    this.boundaries = new long[PIECEWISE_BOUNDARY_FRACTIONS.size()];
    for (int i = 0; i < boundaries.length; i++) {
      boundaries[i] = (long) (PIECEWISE_BOUNDARY_FRACTIONS.get(i) * totalSteps);
    }
  }

  /**
   * A schedule over a run of {@code totalSteps} steps.
   *
   * @param decay the shape after the warm-up
   * @param baseLr the peak rate, reached at the end of the warm-up (> 0)
   * @param warmupSteps steps of linear warm-up (>= 0, < totalSteps)
   * @param totalSteps the length of the run the decay is laid over (>= 1)
   * @throws IllegalArgumentException for a value outside those ranges
   */
  public static LearningRateSchedule of(
      Decay decay, double baseLr, long warmupSteps, long totalSteps) {
    if (decay == null) {
      throw new IllegalArgumentException("decay must be one of cosine, piecewise");
    }
    if (!(baseLr > 0) || Double.isInfinite(baseLr)) {
      throw new IllegalArgumentException("The learning rate must be a number > 0; got " + baseLr);
    }
    if (totalSteps < 1) {
      throw new IllegalArgumentException("totalSteps must be >= 1; got " + totalSteps);
    }
    if (warmupSteps < 0 || warmupSteps >= totalSteps) {
      throw new IllegalArgumentException(
          "warmupSteps must be >= 0 and below the total steps ("
              + totalSteps
              + "); got "
              + warmupSteps);
    }
    return new LearningRateSchedule(decay, baseLr, warmupSteps, totalSteps);
  }

  /**
   * The rate for the update made at global step {@code step} (the step count before the update, as
   * TF1 reads {@code global_step} inside the training step).
   *
   * @throws IllegalArgumentException for a negative step
   */
  public double learningRate(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0; got " + step);
    }
    if (step < warmupSteps) {
      return baseLr * step / warmupSteps;
    }
    return switch (decay) {
      case COSINE -> cosine(step);
      case PIECEWISE -> piecewise(step);
    };
  }

  /** The shape after the warm-up. */
  public Decay decay() {
    return decay;
  }

  /** The peak rate. */
  public double baseLr() {
    return baseLr;
  }

  /** Steps of linear warm-up. */
  public long warmupSteps() {
    return warmupSteps;
  }

  /** The run length the decay is laid over. */
  public long totalSteps() {
    return totalSteps;
  }

  private double cosine(long step) {
    double progress = Math.min(1.0, (double) (step - warmupSteps) / (totalSteps - warmupSteps));
    return 0.5 * baseLr * (1 + Math.cos(Math.PI * progress));
  }

  private double piecewise(long step) {
    int passed = 0;
    while (passed < boundaries.length && step > boundaries[passed]) {
      passed++;
    }
    return baseLr * PIECEWISE_MULTIPLIERS.get(passed);
  }

  @Override
  public String toString() {
    return decay.cliName()
        + "(lr="
        + baseLr
        + ", warmup="
        + warmupSteps
        + ", steps="
        + totalSteps
        + ")";
  }
}
