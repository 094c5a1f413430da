package io.github.resnetjava.serving;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a {@link Classifier} load when its {@link SessionConfig} thread counts cannot take effect:
 * TensorFlow sizes its intra-op and inter-op thread pools once per process, from the first session
 * (see {@link SessionConfig}), so a later load asking for other counts gets the first ones. This
 * class remembers the counts of the first load it sees and warns on a later load that differs;
 * sessions created outside {@code Classifier} are beyond its sight, which the warning says.
 */
final class ProcessThreadPools {
  /** The record of this process's Classifier loads. */
  static final ProcessThreadPools PROCESS = new ProcessThreadPools();

  private static final Logger LOG = LoggerFactory.getLogger(ProcessThreadPools.class);

  private SessionConfig first;

  /**
   * Records a load with {@code config}; logs and returns a warning if its thread counts differ from
   * the first recorded load's.
   */
  synchronized Optional<String> recordLoad(SessionConfig config) {
    if (first == null) {
      first = config;
      return Optional.empty();
    }
    if (first.intraOpThreads() == config.intraOpThreads()
        && first.interOpThreads() == config.interOpThreads()) {
      return Optional.empty();
    }
    String warning =
        "SessionConfig threads (intra-op "
            + config.intraOpThreads()
            + ", inter-op "
            + config.interOpThreads()
            + ") have no effect: TensorFlow sizes its thread pools once"
            + " per process, and the first Classifier of this process was loaded with intra-op "
            + first.intraOpThreads()
            + ", inter-op "
            + first.interOpThreads()
            + " (a session"
            + " created before it, such as a Trainer's, decided even those). Use one"
            + " SessionConfig per process.";
    LOG.warn(warning);
    return Optional.of(warning);
  }
}
