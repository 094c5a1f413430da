package io.github.resnetjava.cli;

import io.github.resnetjava.model.DataFormat;
import io.github.resnetjava.model.ResNetModel;
import io.github.resnetjava.train.LearningRateSchedule;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Option converters that reject bad values while the command line is parsed, so picocli reports
 * them as usage errors ({@code Invalid value for option '--depth': ...}, exit code 2) naming the
 * allowed values.
 */
final class OptionConverters {
  private OptionConverters() {}

  /** A ResNet depth: one of {@link ResNetModel#BLOCK_LAYER_SIZES}' keys. */
  static final class Depth implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      String allowed =
          ResNetModel.BLOCK_LAYER_SIZES.keySet().stream()
              .map(String::valueOf)
              .collect(Collectors.joining(", "));
      try {
        int depth = Integer.parseInt(value.trim());
        if (ResNetModel.BLOCK_LAYER_SIZES.containsKey(depth)) {
          return depth;
        }
      } catch (NumberFormatException e) {
        // Reported below with the allowed values.
      }
      throw new TypeConversionException("must be one of " + allowed + "; got '" + value + "'");
    }
  }

  /** An integer {@code >= 1}. */
  static final class PositiveInt implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      try {
        int parsed = Integer.parseInt(value.trim());
        if (parsed >= 1) {
          return parsed;
        }
      } catch (NumberFormatException e) {
        // Reported below.
      }
      throw new TypeConversionException("must be an integer >= 1; got '" + value + "'");
    }
  }

  /** {@code channels_last} or {@code channels_first} (or NHWC / NCHW), as {@link DataFormat}. */
  static final class Format implements ITypeConverter<DataFormat> {
    @Override
    public DataFormat convert(String value) {
      try {
        return DataFormat.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code cosine} or {@code piecewise}, as {@link LearningRateSchedule.Decay}. */
  static final class Schedule implements ITypeConverter<LearningRateSchedule.Decay> {
    @Override
    public LearningRateSchedule.Decay convert(String value) {
      try {
        return LearningRateSchedule.Decay.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code latest} or {@code all}: a {@link io.github.resnetjava.server.VersionPolicy}. */
  static final class Policy implements ITypeConverter<io.github.resnetjava.server.VersionPolicy> {
    @Override
    public io.github.resnetjava.server.VersionPolicy convert(String value) {
      for (io.github.resnetjava.server.VersionPolicy policy :
          io.github.resnetjava.server.VersionPolicy.values()) {
        if (policy.name().equalsIgnoreCase(value)) {
          return policy;
        }
      }
      throw new TypeConversionException("must be latest or all; got '" + value + "'");
    }
  }
}
