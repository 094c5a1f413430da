package io.github.resnetjava.layers;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The {@code seed} and {@code seed2} attributes of a TF random op.
 *
 * <p>As in TF1, both zero means nondeterministic. A model built with a seed derives {@code seed2}
 * from each variable's name, so a variable's initial value depends only on the seed and its name:
 * two graphs built with the same seed get the same weights, whatever else they contain.
 *
 * @param graphSeed TF's {@code seed} attribute
 * @param opSeed TF's {@code seed2} attribute
 */
public record OpSeed(long graphSeed, long opSeed) {

  /** Both zero: TensorFlow picks fresh random seeds. */
  public static final OpSeed UNSEEDED = new OpSeed(0, 0);

  /**
   * The seeds for the variable {@code variableName} of a model built with {@code modelSeed} ({@code
   * null} for {@link #UNSEEDED}).
   */
  public static OpSeed forVariable(Long modelSeed, String variableName) {
    if (modelSeed == null) {
      return UNSEEDED;
    }
    CRC32 crc = new CRC32();
    crc.update(variableName.getBytes(StandardCharsets.UTF_8));
    // TF treats seed == seed2 == 0 as "unseeded"; a set seed keeps the pair deterministic.
    return new OpSeed(modelSeed, crc.getValue() == 0 && modelSeed == 0 ? 1 : crc.getValue());
  }
}
