package io.github.resnetjava.train;

import io.github.resnetjava.export.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the last {@code keep} checkpoints of a run in one directory, as TF1's {@code
 * tf.train.Saver(max_to_keep=keep)} and TF2's {@code tf.train.CheckpointManager} do, and finds the
 * newest one to resume from.
 *
 * <p>Checkpoint {@code ckpt-<step>} is TensorFlow's checkpoint format: {@code ckpt-<step>.index}
 * and {@code ckpt-<step>.data-00000-of-00001}. The directory's {@value #STATE_FILE} file is TF's
 * {@code CheckpointState} in text form ({@code model_checkpoint_path: "ckpt-300"} and one {@code
 * all_model_checkpoint_paths} line per kept checkpoint), so Python's {@code
 * tf.train.latest_checkpoint(dir)} finds the same checkpoint this class does.
 *
 * <p>Crash safety: a checkpoint is written under a hidden temporary prefix, flushed to the device
 * ({@code fsync}), its files are renamed to the final prefix, and only then is the state file
 * replaced, by writing and flushing a temporary file and renaming it over the old one (atomic on
 * POSIX file systems). A run killed at any point, the machine included, leaves the state file
 * naming a complete checkpoint; leftovers of an interrupted save are deleted by the next manager
 * opened on the directory.
 *
 * <p>Ownership: the manager only deletes files of its own naming ({@code .tmp-ckpt-<step>-<hex>.*},
 * {@code .tmp-checkpoint}, and the {@code .index}/{@code .data-*} files of checkpoints the state
 * file lists). It works only in a run directory: a new or empty directory, which it marks with
 * {@value #MARKER_FILE}, one already marked, or a TensorFlow checkpoint directory (one with a
 * {@value #STATE_FILE} file). It refuses any other non-empty directory, so a mistyped {@code
 * --checkpoint-dir} cannot lose a user's files.
 */
public final class CheckpointManager {
  /** Writes a checkpoint to a prefix: {@link Trainer#save}. */
  @FunctionalInterface
  public interface CheckpointWriter {
    /** Writes {@code prefix.index} and {@code prefix.data-*} files. */
    void write(Path prefix) throws IOException;
  }

  /** TensorFlow's name for the state file. */
  public static final String STATE_FILE = "checkpoint";

  /** The checkpoint prefix's base name; the step follows a dash. */
  public static final String PREFIX = "ckpt";

  /** The file marking a directory as a run directory this project created. */
  public static final String MARKER_FILE = ".resnet-run";

  private static final Logger LOG = LoggerFactory.getLogger(CheckpointManager.class);
  private static final String TEMP_PREFIX = ".tmp-";
  private static final String TEMP_STATE_FILE = TEMP_PREFIX + STATE_FILE;
  private static final Pattern STATE_LINE =
      Pattern.compile(
          "^\\s*(model_checkpoint_path|all_model_checkpoint_paths)\\s*:\\s*\"(.*)\"\\s*$");
  private static final Pattern CHECKPOINT_NAME = Pattern.compile(PREFIX + "-(\\d+)");

  private final Path directory;
  private final int keep;

  /**
   * Opens (creating and marking if needed) a run directory and deletes leftovers of interrupted
   * saves.
   *
   * @param directory where the checkpoints and the state file live
   * @param keep how many checkpoints to keep, {@code >= 1}
   * @throws IllegalArgumentException if {@code directory} is a non-empty directory that is not a
   *     run directory (see the class comment), or not a directory
   * @throws UncheckedIOException if the directory cannot be created or listed
   */
  public CheckpointManager(Path directory, int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("keep must be >= 1; got " + keep);
    }
    this.directory = directory;
    this.keep = keep;
    requireRunDirectory(directory);
    try {
      Files.createDirectories(directory);
      Path marker = directory.resolve(MARKER_FILE);
      if (!Files.exists(marker)) {
        Files.writeString(
            marker,
            "A resnet-java run directory: checkpoints, metrics and the run's settings.\n",
            StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create checkpoint directory " + directory, e);
    }
    deleteMatching(TEMP_PREFIX + PREFIX + "-*");
    deleteMatching(TEMP_STATE_FILE);
  }

  /**
   * Requires {@code directory} to be absent, empty, marked with {@value #MARKER_FILE} or a
   * TensorFlow checkpoint directory (holding a {@value #STATE_FILE} file): a directory a manager
   * may write in without touching files it did not create. Creates nothing.
   *
   * @throws IllegalArgumentException naming the directory and what to do instead
   * @throws UncheckedIOException if the directory cannot be listed
   */
  public static void requireRunDirectory(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    if (!Files.isDirectory(directory)) {
      throw new IllegalArgumentException(
          "Checkpoint directory " + directory + " is a file; choose a new or empty directory");
    }
    if (Files.exists(directory.resolve(MARKER_FILE))
        || Files.isRegularFile(directory.resolve(STATE_FILE))) {
      return;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      if (entries.iterator().hasNext()) {
        throw new IllegalArgumentException(
            "Checkpoint directory "
                + directory
                + " is not empty and is not a run directory (no "
                + MARKER_FILE
                + " or TensorFlow '"
                + STATE_FILE
                + "' file): choose a new or"
                + " empty directory, so that no file of yours is overwritten or deleted");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list checkpoint directory " + directory, e);
    }
  }

  /** The directory this manager keeps checkpoints in. */
  public Path directory() {
    return directory;
  }

  /** The prefix of the checkpoint of global step {@code step}: {@code <dir>/ckpt-<step>}. */
  public Path prefixFor(long step) {
    return directory.resolve(PREFIX + "-" + step);
  }

  /**
   * Writes the checkpoint of {@code step} with {@code writer}, makes it the newest, and deletes the
   * checkpoints beyond the last {@code keep}.
   *
   * @return the new checkpoint's prefix
   * @throws UncheckedIOException if writing fails, in the file system or in TensorFlow's saver; the
   *     previous newest checkpoint stays newest and no file of the failed save is left
   */
  public Path save(long step, CheckpointWriter writer) {
    String finalName = prefixFor(step).getFileName().toString();
    String tempName =
        TEMP_PREFIX
            + finalName
            + "-"
            + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    try {
      writer.write(directory.resolve(tempName));
      List<Path> written = filesOf(tempName);
      if (written.stream().noneMatch(p -> p.getFileName().toString().endsWith(".index"))) {
        throw new IOException("The checkpoint writer left no " + tempName + ".index");
      }
      // The index goes last, so a prefix with an index always has its data files.
      written.sort((a, b) -> Boolean.compare(isIndex(a), isIndex(b)));
      for (Path file : written) {
        DurableFiles.syncFile(file);
      }
      for (Path file : written) {
        String suffix = file.getFileName().toString().substring(tempName.length());
        move(file, directory.resolve(finalName + suffix));
      }
      List<String> kept = new ArrayList<>(checkpointNames());
      kept.remove(finalName);
      kept.add(finalName);
      List<String> dropped = new ArrayList<>();
      while (kept.size() > keep) {
        dropped.add(kept.remove(0));
      }
      writeState(kept);
      for (String name : dropped) {
        deleteMatching(name + ".index");
        deleteMatching(name + ".data-*");
      }
      return directory.resolve(finalName);
    } catch (IOException | RuntimeException e) {
      // A RuntimeException here is TensorFlow's saver failing (TFFailedPreconditionException,
      // TFResourceExhaustedException, ...): the same failed save as an IOException.
      deleteMatching(tempName + "*");
      IOException cause = e instanceof IOException io ? io : new IOException(e.toString(), e);
      throw new UncheckedIOException(
          "Could not write checkpoint " + finalName + " in " + directory + ": " + firstLine(e),
          cause);
    }
  }

  /** The newest complete checkpoint's prefix, or empty if the directory has none. */
  public Optional<Path> latest() {
    List<String> names = checkpointNames();
    for (int i = names.size() - 1; i >= 0; i--) {
      Path prefix = directory.resolve(names.get(i));
      if (Files.isRegularFile(indexOf(prefix))) {
        return Optional.of(prefix);
      }
    }
    return Optional.empty();
  }

  /** The kept checkpoints' prefixes, oldest first, as the state file lists them. */
  public List<Path> checkpoints() {
    return checkpointNames().stream().map(directory::resolve).toList();
  }

  /**
   * The global step a checkpoint prefix was written at ({@code ckpt-300} gives 300).
   *
   * @throws IllegalArgumentException if the name is not {@code ckpt-<step>}
   */
  public static long stepOf(Path prefix) {
    Matcher matcher = CHECKPOINT_NAME.matcher(prefix.getFileName().toString());
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          "Not a checkpoint prefix of the form " + PREFIX + "-<step>: " + prefix);
    }
    return Long.parseLong(matcher.group(1));
  }

  /** {@code <prefix>.index}, the file whose presence marks a complete checkpoint. */
  public static Path indexOf(Path prefix) {
    return prefix.resolveSibling(prefix.getFileName() + ".index");
  }

  /** The names listed in the state file, oldest first, the newest last. */
  private List<String> checkpointNames() {
    Path state = directory.resolve(STATE_FILE);
    if (!Files.isRegularFile(state)) {
      return List.of();
    }
    List<String> all = new ArrayList<>();
    String newest = null;
    try {
      for (String line : Files.readAllLines(state, StandardCharsets.UTF_8)) {
        Matcher matcher = STATE_LINE.matcher(line);
        if (!matcher.matches()) {
          continue;
        }
        String name = Path.of(matcher.group(2)).getFileName().toString();
        if (matcher.group(1).equals("model_checkpoint_path")) {
          newest = name;
        } else if (!all.contains(name)) {
          all.add(name);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + state, e);
    }
    if (newest != null) {
      all.remove(newest);
      all.add(newest);
    }
    return all;
  }

  private void writeState(List<String> names) throws IOException {
    StringBuilder text = new StringBuilder();
    text.append("model_checkpoint_path: \"").append(names.get(names.size() - 1)).append("\"\n");
    for (String name : names) {
      text.append("all_model_checkpoint_paths: \"").append(name).append("\"\n");
    }
    Path temp = directory.resolve(TEMP_STATE_FILE);
    Files.writeString(temp, text, StandardCharsets.UTF_8);
    DurableFiles.syncFile(temp);
    // The checkpoint files' new names reach the device before the state file names them.
    DurableFiles.syncDirectory(directory);
    move(temp, directory.resolve(STATE_FILE));
    DurableFiles.syncDirectory(directory);
  }

  private static String firstLine(Exception e) {
    String message = e.getMessage();
    return message == null || message.isBlank()
        ? e.getClass().getSimpleName()
        : message.strip().lines().findFirst().orElse(message);
  }

  private List<Path> filesOf(String prefixName) throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, prefixName + ".*")) {
      stream.forEach(files::add);
    }
    return files;
  }

  private static boolean isIndex(Path file) {
    return file.getFileName().toString().endsWith(".index");
  }

  /** Renames atomically, replacing the target (rename(2) on POSIX). */
  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Deletes the files matching {@code glob}, best effort: they are no longer referenced. */
  private void deleteMatching(String glob) {
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, glob)) {
      for (Path file : stream) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      LOG.warn("Could not delete {} in {}: {}", glob, directory, e.toString());
    }
  }
}
