package io.github.resnetjava.export;

import io.github.resnetjava.savedmodel.ServingLayout;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file-system side of writing a version into TF Serving's layout: the exporters of one model
 * directory take turns ({@link #lock}), a finished staging directory is flushed to the device and
 * renamed into place, a version being replaced is renamed aside first and deleted after, and what
 * an interrupted export left behind is put right before the next one: a version left only in its
 * hidden {@code .old-<version>-<hex>} copy (a crash between the two renames) is renamed back, and
 * other hidden {@code .tmp-*} and {@code .old-*} directories are deleted.
 */
final class VersionSwap implements AutoCloseable {
  /** The lock file in the model directory, held while an export stages and moves its version. */
  static final String LOCK_FILE = ".export.lock";

  static final String STAGING_PREFIX = ".tmp";

  private static final Logger LOG = LoggerFactory.getLogger(VersionSwap.class);

  /** File locks are per process: threads of this one take turns on these first. */
  private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS =
      new ConcurrentHashMap<>();

  private final Path modelDir;
  private final ReentrantLock threadLock;
  private final FileChannel channel;
  private final FileLock lock;

  private VersionSwap(Path modelDir, ReentrantLock threadLock, FileChannel channel, FileLock lock) {
    this.modelDir = modelDir;
    this.threadLock = threadLock;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Waits for the model directory's export lock (other processes exporting into it hold it), then
   * recovers and deletes what interrupted exports left.
   */
  static VersionSwap lock(Path modelDir) throws IOException {
    Files.createDirectories(modelDir);
    ReentrantLock threadLock =
        IN_PROCESS.computeIfAbsent(
            modelDir.toAbsolutePath().normalize(), dir -> new ReentrantLock());
    threadLock.lock();
    FileChannel channel = null;
    try {
      channel =
          FileChannel.open(
              modelDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      VersionSwap swap = new VersionSwap(modelDir, threadLock, channel, channel.lock());
      swap.recoverInterruptedExports();
      return swap;
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close();
      }
      threadLock.unlock();
      throw e;
    }
  }

  /**
   * Flushes {@code staging} and renames it to {@code target}; an existing {@code target} is renamed
   * aside first (rename(2) cannot replace a non-empty directory) and deleted once the new one is in
   * place. Between the two renames the version is briefly absent (POSIX has no portable atomic
   * exchange of two directories); {@link ServingLayout#latestVersionDirectory} waits that instant
   * out, TF Serving's own poller may not.
   */
  void moveIntoPlace(Path staging, Path target, String retiredName) throws IOException {
    DurableFiles.syncTree(staging);
    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      DurableFiles.syncDirectory(modelDir);
      return;
    }
    Path retired = target.resolveSibling(retiredName);
    Files.move(target, retired, StandardCopyOption.ATOMIC_MOVE);
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      try {
        Files.move(retired, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException restoreFailure) {
        e.addSuppressed(restoreFailure);
      }
      throw e;
    }
    DurableFiles.syncDirectory(modelDir);
    // The new version is in place and durable; the old copy is only disk space now.
    deleteRecursively(retired);
  }

  /** Releases the lock. */
  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      try {
        channel.close();
      } finally {
        threadLock.unlock();
      }
    }
  }

  private void recoverInterruptedExports() throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(modelDir, ".{tmp,old}-*")) {
      for (Path entry : entries) {
        Path version = ServingLayout.retiredVersionName(entry).map(modelDir::resolve).orElse(null);
        if (version != null
            && !Files.exists(version, LinkOption.NOFOLLOW_LINKS)
            && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
          LOG.warn(
              "Restoring {} from {}, left by an export interrupted while replacing it",
              version,
              entry.getFileName());
          Files.move(entry, version, StandardCopyOption.ATOMIC_MOVE);
        } else {
          LOG.info("Deleting {}, left by an interrupted export", entry);
          deleteRecursively(entry);
        }
      }
    }
    DurableFiles.syncDirectory(modelDir);
  }

  /**
   * Deletes {@code dir} recursively, best effort: it is a hidden directory TF Serving ignores, and
   * the export's own outcome matters more than its removal.
   */
  static void deleteRecursively(Path dir) {
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException e)
                throws IOException {
              if (e != null) {
                throw e;
              }
              Files.delete(directory);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      LOG.warn("Could not delete the hidden export directory {}: {}", dir, e.toString());
    }
  }
}
