package io.github.resnetjava.export;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * {@code fsync(2)} for files and directories, so that a rename published after it never names data
 * still only in the page cache: the write-fsync-rename-fsync(parent) sequence that TensorFlow's own
 * checkpoint writer and databases use for crash-safe replacement.
 */
public final class DurableFiles {
  private DurableFiles() {}

  /** Flushes {@code file}'s contents and metadata to the device ({@code fsync}). */
  public static void syncFile(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /**
   * Flushes {@code dir}'s entries (names created, renamed or deleted in it) to the device. Where
   * the platform cannot open a directory for reading (Windows), there is nothing to flush and this
   * does nothing.
   */
  public static void syncDirectory(Path dir) throws IOException {
    FileChannel channel;
    try {
      channel = FileChannel.open(dir, StandardOpenOption.READ);
    } catch (IOException e) {
      if (Files.isDirectory(dir)) {
        return;
      }
      throw e;
    }
    try (channel) {
      channel.force(true);
    }
  }

  /** Flushes every file and directory under {@code root}, {@code root} included, children first. */
  public static void syncTree(Path root) throws IOException {
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            if (attrs.isRegularFile()) {
              syncFile(file);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            syncDirectory(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
