package io.github.resnetjava.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The report's number formatting and verdicts: a {@link Measurement} with its error, ratios and
 * percentages of two measurements, sizes, and whether a target is met. Stateless.
 */
final class ReportFormat {
  /** Verdict levels, worst first. */
  static final int NOT_MET = 0;

  static final int WITHIN_ERROR = 1;
  static final int MET = 2;

  private ReportFormat() {}

  /** Column title of a oneDNN label. */
  static String title(String oneDnn) {
    return switch (oneDnn) {
      case ReportData.DEFAULT_ONEDNN -> "unset (a host JVM's default, the library's choice)";
      case "off" -> "`TF_ENABLE_ONEDNN_OPTS=0`";
      default -> "`TF_ENABLE_ONEDNN_OPTS=1`";
    };
  }

  /** A table row: the leading cells, then {@code rest}. */
  static String[] cells(List<String> rest, String... leading) {
    return Stream.concat(Stream.of(leading), rest.stream()).toArray(String[]::new);
  }

  /** The measurement with the highest mean; empty if none is present. */
  static Optional<Measurement> best(List<Optional<Measurement>> candidates) {
    return candidates.stream()
        .flatMap(Optional::stream)
        .max((a, b) -> Double.compare(a.mean(), b.mean()));
  }

  static Optional<Measurement> both(Optional<Measurement> a, Optional<Measurement> b) {
    return a.isPresent() && b.isPresent() ? Optional.of(a.get().over(b.get())) : Optional.empty();
  }

  static String ratio(Optional<Measurement> after, Optional<Measurement> before) {
    return both(after, before).map(r -> format(r, "%.2f") + " x").orElse("-");
  }

  /** {@code (ratio + shift) * 100} with its error, as a signed or plain percentage. */
  static String percent(Measurement ratio, double shift) {
    String sign = shift < 0 ? "%+.1f%%" : "%.0f%%";
    String value = String.format(Locale.ROOT, sign, (ratio.mean() + shift) * 100);
    return Double.isNaN(ratio.error())
        ? value
        : value + String.format(Locale.ROOT, " ± %.1f", ratio.error() * 100);
  }

  static String seconds(Optional<Measurement> perSecond) {
    return perSecond.map(m -> format(m.millisPerOp().times(1e-3), "%.2f")).orElse("-");
  }

  static String format(Measurement m, String pattern) {
    String mean = String.format(Locale.ROOT, pattern, m.mean());
    return Double.isNaN(m.error())
        ? mean
        : mean + " ± " + String.format(Locale.ROOT, pattern, m.error());
  }

  static String gib(long kib) {
    return kib < 0 ? "-" : String.format(Locale.ROOT, "%.2f GiB", kib / 1024.0 / 1024.0);
  }

  static String megabytes(Path dir) {
    if (!Files.isDirectory(dir)) {
      return "-";
    }
    try (Stream<Path> files = Files.walk(dir)) {
      long bytes =
          files
              .filter(Files::isRegularFile)
              .mapToLong(
                  file -> {
                    try {
                      return Files.size(file);
                    } catch (IOException e) {
                      return 0;
                    }
                  })
              .sum();
      return String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
    } catch (IOException e) {
      return "-";
    }
  }

  static String label(ExportVariant model) {
    return model == ExportVariant.PLAIN ? "plain" : "optimized";
  }

  static String verdict(boolean met) {
    return verdict(met ? MET : NOT_MET);
  }

  static String verdict(int level) {
    return switch (level) {
      case MET -> " — **met**";
      case WITHIN_ERROR -> " — **not met** (within the error)";
      default -> " — **not met**";
    };
  }

  /**
   * {@link #MET} if {@code m}'s mean is at least (or, {@code atLeast} false, at most) {@code
   * target}, {@link #WITHIN_ERROR} if only its confidence interval reaches it, else {@link
   * #NOT_MET}.
   */
  static int level(Measurement m, double target, boolean atLeast) {
    double sign = atLeast ? 1 : -1;
    if (sign * (m.mean() - target) >= 0) {
      return MET;
    }
    double error = Double.isNaN(m.error()) ? 0 : m.error();
    return sign * (m.mean() - target) + error >= 0 ? WITHIN_ERROR : NOT_MET;
  }
}
