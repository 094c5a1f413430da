package io.github.resnetjava.server;

import io.github.resnetjava.serving.SessionConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Serves every model under a models directory in TF Serving's layout {@code
 * <modelsDir>/<name>/<version>/saved_model.pb}, and keeps the loaded versions in step with the
 * directory as TF Serving's file-system source and {@code AvailabilityPreservingPolicy} do: a new
 * version is loaded while the old one keeps serving, then published, then the old one is retired
 * (closed once its requests finish); a version whose directory is gone is unloaded. A version that
 * fails to load is reported once and skipped until its directory disappears.
 *
 * <p>Lookups read one immutable snapshot, so a request never sees a half-updated model.
 */
public final class ModelManager implements AutoCloseable {
  private final Path modelsDir;
  private final VersionPolicy policy;
  private final SessionConfig sessionConfig;
  private final ModelEvents events;
  private final Map<String, Set<Long>> failed = new HashMap<>();
  private volatile Map<String, NavigableMap<Long, ServedVersion>> served = Map.of();
  private ScheduledExecutorService poller;
  private boolean closed;

  /** A manager of the models under {@code modelsDir}; nothing is loaded until {@link #poll()}. */
  public ModelManager(
      Path modelsDir, VersionPolicy policy, SessionConfig sessionConfig, ModelEvents events) {
    this.modelsDir = modelsDir;
    this.policy = policy;
    this.sessionConfig = sessionConfig;
    this.events = events;
  }

  /**
   * Brings the served versions in line with the directory once: loads wanted versions, publishes
   * them, then retires versions no longer wanted (only once a wanted version of that model is
   * served) or no longer on disk.
   */
  public synchronized void poll() {
    if (closed) {
      return;
    }
    Map<String, NavigableMap<Long, ServedVersion>> current = served;
    Map<String, NavigableMap<Long, Path>> onDisk = ModelsOnDisk.scan(modelsDir);
    Set<String> names = new TreeSet<>(onDisk.keySet());
    names.addAll(current.keySet());
    Map<String, NavigableMap<Long, ServedVersion>> next = new TreeMap<>();
    List<ServedVersion> retired = new ArrayList<>();
    for (String name : names) {
      NavigableMap<Long, Path> directories =
          onDisk.getOrDefault(name, Collections.emptyNavigableMap());
      NavigableSet<Long> available = directories.navigableKeySet();
      Set<Long> failedVersions = failed.computeIfAbsent(name, n -> new TreeSet<>());
      failedVersions.retainAll(available);
      NavigableSet<Long> loadable = new TreeSet<>(available);
      loadable.removeAll(failedVersions);
      NavigableSet<Long> wanted = policy.wanted(loadable);
      NavigableMap<Long, ServedVersion> versions =
          new TreeMap<>(current.getOrDefault(name, Collections.emptyNavigableMap()));
      for (long version : wanted) {
        if (!versions.containsKey(version)) {
          load(name, version, directories.get(version))
              .ifPresent(loaded -> versions.put(version, loaded));
        }
      }
      boolean wantedServed = wanted.stream().anyMatch(versions::containsKey);
      for (ServedVersion version : List.copyOf(versions.values())) {
        boolean gone = !available.contains(version.version());
        boolean replaced = !wanted.contains(version.version()) && wantedServed;
        if (gone || replaced) {
          versions.remove(version.version());
          retired.add(version);
        }
      }
      if (!versions.isEmpty()) {
        next.put(name, Collections.unmodifiableNavigableMap(versions));
      }
    }
    served = Collections.unmodifiableMap(next);
    for (ServedVersion version : retired) {
      version.retire();
      events.unloaded(version.modelName(), version.version());
    }
  }

  /** Polls now, then every {@code pollSeconds} on a daemon thread ({@code 0}: only now). */
  public synchronized void start(long pollSeconds) {
    poll();
    if (pollSeconds > 0 && poller == null) {
      poller =
          Executors.newSingleThreadScheduledExecutor(
              runnable -> {
                Thread thread = new Thread(runnable, "model-version-poller");
                thread.setDaemon(true);
                return thread;
              });
      poller.scheduleWithFixedDelay(this::pollQuietly, pollSeconds, pollSeconds, TimeUnit.SECONDS);
    }
  }

  /**
   * Takes a reference to the version a request names ({@code null}: the highest one served). The
   * caller must {@link ServedVersion#release()} it.
   *
   * @throws ServingException NOT_FOUND for an unknown model or a version not served
   */
  ServedVersion acquire(String model, Long version) {
    while (true) {
      NavigableMap<Long, ServedVersion> versions = served.get(model);
      if (versions == null) {
        throw ServingException.notFound(
            "Servable not found for request: Latest("
                + model
                + "): no model '"
                + model
                + "' is served (models: "
                + served.keySet()
                + ")");
      }
      ServedVersion chosen =
          version == null ? versions.lastEntry().getValue() : versions.get(version);
      if (chosen == null) {
        throw ServingException.notFound(
            "Servable not found for request: Specific("
                + model
                + ", "
                + version
                + "): served versions are "
                + versions.keySet());
      }
      if (chosen.tryAcquire()) {
        return chosen;
      }
      // Retired between the read and the acquire: a newer snapshot is already published.
      Thread.onSpinWait();
    }
  }

  /** The served versions of {@code model}, highest last; empty if it is not served. */
  NavigableMap<Long, ServedVersion> versions(String model) {
    return served.getOrDefault(model, Collections.emptyNavigableMap());
  }

  /** Calls {@code action} with each served model's name and its number of versions served. */
  public void forEachModel(BiConsumer<String, Integer> action) {
    served.forEach((name, versions) -> action.accept(name, versions.size()));
  }

  /** The number of model versions served now. */
  public int servedVersionCount() {
    return served.values().stream().mapToInt(Map::size).sum();
  }

  /** Stops polling and retires every version (each closes when its last request ends). */
  @Override
  public void close() {
    ScheduledExecutorService stopping;
    synchronized (this) {
      closed = true;
      stopping = poller;
      poller = null;
    }
    if (stopping != null) {
      stopping.shutdownNow();
      try {
        stopping.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (this) {
      Map<String, NavigableMap<Long, ServedVersion>> last = served;
      served = Map.of();
      last.values().forEach(versions -> versions.values().forEach(ServedVersion::retire));
    }
  }

  private void pollQuietly() {
    try {
      poll();
    } catch (RuntimeException e) {
      events.failed("*", -1, modelsDir, "polling " + modelsDir + " failed: " + e.getMessage());
    }
  }

  private Optional<ServedVersion> load(String name, long version, Path dir) {
    try {
      ServedVersion loaded = ServedVersion.load(name, version, dir, sessionConfig);
      events.loaded(name, version, dir);
      return Optional.of(loaded);
    } catch (RuntimeException e) {
      failed.get(name).add(version);
      events.failed(
          name,
          version,
          dir,
          String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName()));
      return Optional.empty();
    }
  }
}
