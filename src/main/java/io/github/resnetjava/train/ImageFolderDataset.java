package io.github.resnetjava.train;

import io.github.resnetjava.preprocessing.ImageBytesPreprocessing;
import io.github.resnetjava.preprocessing.ImagePreprocessing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Images in one sub-folder per class, as Keras' {@code image_dataset_from_directory} reads them:
 * class names are the sub-folder names in sorted order, and every JPEG, PNG, GIF or BMP file below
 * a class folder (recursively, sorted by path) is one image of that class. Hidden files and hidden
 * folders (names starting with a dot) are skipped; symbolic links to class folders, sub-folders and
 * files are followed, and a link back to a folder being read is skipped with a warning.
 *
 * <p>Images are decoded and preprocessed by the very graph the exported {@code image_bytes}
 * signature runs ({@link ImageBytesPreprocessing}: decode to RGB, aspect-preserving bilinear resize
 * to {@code minAspectDim}, central crop, channel-mean subtraction), so the model trains on exactly
 * what it will be served. Every file is decoded once when the folder is opened: files that cannot
 * be read or decoded are left out, counted ({@link #skippedFiles()}) and named in a warning, so
 * that a broken file never stops training at the step that first reads it (and, since batches are a
 * function of the step, every resume after it). Afterwards files are read batch by batch when asked
 * for, which keeps memory flat for large folders; call it from the prefetch thread.
 *
 * <p>Owns a small TensorFlow graph and session: close it.
 */
public final class ImageFolderDataset implements ImageDataset {
  /** File name extensions read as images, lower case. */
  public static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "gif", "bmp");

  /** Sub-folder names taken as a ready-made split: {@code train} with one of these. */
  public static final List<String> VALIDATION_FOLDERS = List.of("validation", "val");

  private static final Logger LOG = LoggerFactory.getLogger(ImageFolderDataset.class);

  /** Files decoded together when the folder is checked at opening. */
  private static final int CHECK_BATCH = 32;

  /** Skipped files named in the warning; the rest are counted. */
  private static final int NAMED_IN_WARNING = 10;

  private final Path root;
  private final List<String> classNames;
  private final List<Path> files;
  private final int[] labels;
  private final List<Path> skippedFiles;
  private final ImagePreprocessing preprocessing;
  private final ImageDecoder decoder;

  private ImageFolderDataset(
      Path root,
      List<String> classNames,
      List<Path> files,
      int[] labels,
      List<Path> skippedFiles,
      ImagePreprocessing preprocessing,
      ImageDecoder decoder) {
    this.root = root;
    this.classNames = classNames;
    this.files = files;
    this.labels = labels;
    this.skippedFiles = List.copyOf(skippedFiles);
    this.preprocessing = preprocessing;
    this.decoder = decoder;
  }

  /**
   * Every decodable image below {@code root}'s class folders.
   *
   * @throws IllegalArgumentException if {@code root} has fewer than two class folders or a class
   *     folder holds no decodable image
   * @throws UncheckedIOException if the folders cannot be listed
   */
  public static ImageFolderDataset open(Path root, ImagePreprocessing preprocessing) {
    List<String> classNames = classFolders(root);
    ImageDecoder decoder = new ImageDecoder(preprocessing);
    try {
      List<Path> files = new ArrayList<>();
      List<Integer> labels = new ArrayList<>();
      List<Path> skipped = new ArrayList<>();
      for (int label = 0; label < classNames.size(); label++) {
        for (Path file : decodableImagesIn(root.resolve(classNames.get(label)), decoder, skipped)) {
          files.add(file);
          labels.add(label);
        }
      }
      warnAboutSkipped(root, skipped);
      return new ImageFolderDataset(
          root, classNames, files, toArray(labels), skipped, preprocessing, decoder);
    } catch (RuntimeException | Error e) {
      decoder.close();
      throw e;
    }
  }

  /**
   * The training and validation sets of {@code root}: its {@code train} and {@code validation} (or
   * {@code val}) sub-folders when it has both, otherwise a stratified, seeded hold-out of {@code
   * validationFraction} of each class's decodable images (at least one per class). For a hold-out,
   * the training set's {@link #skippedFiles()} lists the whole folder's.
   *
   * @param validationFraction share of each class held out, in {@code (0, 1)}; unused for a
   *     ready-made split
   * @throws IllegalArgumentException if the folders do not make two sets with the same classes
   */
  public static DatasetSplit split(
      Path root, ImagePreprocessing preprocessing, double validationFraction, long seed) {
    Path train = root.resolve("train");
    for (String name : VALIDATION_FOLDERS) {
      Path validation = root.resolve(name);
      if (Files.isDirectory(train) && Files.isDirectory(validation)) {
        return readySplit(train, validation, preprocessing);
      }
    }
    if (!(validationFraction > 0 && validationFraction < 1)) {
      throw new IllegalArgumentException(
          "The validation fraction must be between 0 and 1; got " + validationFraction);
    }
    return holdOutSplit(root, preprocessing, validationFraction, seed);
  }

  /** The sets of a {@code train} and a {@code validation} folder, each opened as {@link #open}. */
  private static DatasetSplit readySplit(
      Path train, Path validation, ImagePreprocessing preprocessing) {
    ImageFolderDataset trainSet = open(train, preprocessing);
    ImageFolderDataset validationSet = null;
    try {
      validationSet = open(validation, preprocessing);
      return new DatasetSplit(trainSet, validationSet);
    } catch (RuntimeException | Error e) {
      trainSet.close();
      if (validationSet != null) {
        validationSet.close();
      }
      throw e;
    }
  }

  /** A stratified hold-out of {@code validationFraction} of each class folder of {@code root}. */
  private static DatasetSplit holdOutSplit(
      Path root, ImagePreprocessing preprocessing, double validationFraction, long seed) {
    List<String> classNames = classFolders(root);
    List<Path> trainFiles = new ArrayList<>();
    List<Integer> trainLabels = new ArrayList<>();
    List<Path> validationFiles = new ArrayList<>();
    List<Integer> validationLabels = new ArrayList<>();
    List<Path> skipped = new ArrayList<>();
    ImageDecoder trainDecoder = new ImageDecoder(preprocessing);
    ImageDecoder validationDecoder = null;
    try {
      for (int label = 0; label < classNames.size(); label++) {
        Path classFolder = root.resolve(classNames.get(label));
        List<Path> classFiles =
            new ArrayList<>(decodableImagesIn(classFolder, trainDecoder, skipped));
        if (classFiles.size() < 2) {
          throw new IllegalArgumentException(
              "Class folder "
                  + classFolder
                  + " needs at least 2 images to hold one out for validation");
        }
        Collections.shuffle(classFiles, new Random(Seeds.derive(seed, Seeds.SPLIT, label)));
        int held = heldOut(classFiles.size(), validationFraction);
        for (int i = 0; i < classFiles.size(); i++) {
          boolean validation = i < held;
          (validation ? validationFiles : trainFiles).add(classFiles.get(i));
          (validation ? validationLabels : trainLabels).add(label);
        }
      }
      warnAboutSkipped(root, skipped);
      validationDecoder = new ImageDecoder(preprocessing);
      return new DatasetSplit(
          new ImageFolderDataset(
              root,
              classNames,
              trainFiles,
              toArray(trainLabels),
              skipped,
              preprocessing,
              trainDecoder),
          new ImageFolderDataset(
              root,
              classNames,
              validationFiles,
              toArray(validationLabels),
              List.of(),
              preprocessing,
              validationDecoder));
    } catch (RuntimeException | Error e) {
      trainDecoder.close();
      if (validationDecoder != null) {
        validationDecoder.close();
      }
      throw e;
    }
  }

  /**
   * How many of a class's {@code images} (at least 2) the hold-out keeps for validation: {@code
   * validationFraction} of them, rounded, but at least one and at most all but one.
   */
  private static int heldOut(int images, double validationFraction) {
    return (int) Math.max(1, Math.min(images - 1, Math.round(images * validationFraction)));
  }

  @Override
  public List<String> classNames() {
    return classNames;
  }

  @Override
  public int size() {
    return files.size();
  }

  @Override
  public int imageSize() {
    return preprocessing.resizeDim();
  }

  @Override
  public int label(int index) {
    return labels[index];
  }

  /** The file of image {@code index}. */
  public Path file(int index) {
    return files.get(index);
  }

  /**
   * The image files left out because they could not be read or decoded when the folder was opened,
   * sorted by path.
   */
  public List<Path> skippedFiles() {
    return skippedFiles;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Every file decoded when the folder was opened; this fails only if a file changed since.
   */
  @Override
  public void readImages(int[] indices, float[] imagesNhwc) {
    byte[][] contents = new byte[indices.length][];
    for (int i = 0; i < indices.length; i++) {
      try {
        contents[i] = Files.readAllBytes(files.get(indices[i]));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read image " + files.get(indices[i]), e);
      }
    }
    try {
      decoder.decode(contents, imagesNhwc);
    } catch (RuntimeException e) {
      throw new UncheckedIOException(
          new IOException(
              "Cannot decode "
                  + culprit(indices, contents)
                  + " as JPEG, PNG, GIF or BMP: "
                  + e.getMessage().lines().findFirst().orElse(""),
              e));
    }
  }

  /** The first file of a failed batch that fails on its own (TF's error does not name it). */
  private Path culprit(int[] indices, byte[][] contents) {
    for (int i = 0; i < indices.length; i++) {
      if (!decoder.decodes(contents[i])) {
        return files.get(indices[i]);
      }
    }
    return files.get(indices[0]);
  }

  @Override
  public void close() {
    decoder.close();
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "image folder %s (%d classes, %d images%s)",
        root,
        classNames.size(),
        files.size(),
        skippedFiles.isEmpty()
            ? ""
            : ", "
                + skippedFiles.size()
                + " undecodable file"
                + (skippedFiles.size() == 1 ? "" : "s")
                + " skipped");
  }

  private static List<String> classFolders(Path root) {
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException(
          "Image folder " + root + " does not exist or is not a directory");
    }
    try (Stream<Path> children = Files.list(root)) {
      List<String> names =
          children
              .filter(Files::isDirectory)
              .map(p -> p.getFileName().toString())
              .filter(name -> !name.startsWith("."))
              .sorted()
              .toList();
      if (names.size() < 2) {
        throw new IllegalArgumentException(
            "Image folder " + root + " needs one sub-folder per class, at least 2; found " + names);
      }
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + root, e);
    }
  }

  /**
   * The image files of {@code classFolder} that {@code decoder} decodes, sorted by path; the others
   * are added to {@code skipped}.
   *
   * @throws IllegalArgumentException if none decodes
   */
  private static List<Path> decodableImagesIn(
      Path classFolder, ImageDecoder decoder, List<Path> skipped) {
    List<Path> candidates = imagesIn(classFolder);
    List<Path> decodable = new ArrayList<>(candidates.size());
    List<Path> undecodable = new ArrayList<>();
    float[] scratch = new float[CHECK_BATCH * decoder.floatsPerImage()];
    for (int start = 0; start < candidates.size(); start += CHECK_BATCH) {
      List<Path> chunk =
          candidates.subList(start, Math.min(candidates.size(), start + CHECK_BATCH));
      List<Path> readable = new ArrayList<>(chunk.size());
      List<byte[]> contents = new ArrayList<>(chunk.size());
      for (Path file : chunk) {
        try {
          contents.add(Files.readAllBytes(file));
          readable.add(file);
        } catch (IOException e) {
          undecodable.add(file);
        }
      }
      if (readable.isEmpty()) {
        continue;
      }
      try {
        decoder.decode(contents.toArray(byte[][]::new), scratch);
        decodable.addAll(readable);
      } catch (RuntimeException batchFailure) {
        for (int i = 0; i < readable.size(); i++) {
          (decoder.decodes(contents.get(i)) ? decodable : undecodable).add(readable.get(i));
        }
      }
    }
    skipped.addAll(undecodable);
    if (decodable.isEmpty()) {
      throw new IllegalArgumentException(
          "Class folder "
              + classFolder
              + " holds no decodable image ("
              + EXTENSIONS
              + ")"
              + (undecodable.isEmpty() ? "" : "; undecodable: " + names(undecodable)));
    }
    return decodable;
  }

  /**
   * The image files below {@code classFolder}, sorted by path, following symbolic links, skipping
   * hidden files and folders and links that loop back to a folder being read.
   */
  private static List<Path> imagesIn(Path classFolder) {
    List<Path> images = new ArrayList<>();
    try {
      Files.walkFileTree(
          classFolder,
          EnumSet.of(FileVisitOption.FOLLOW_LINKS),
          Integer.MAX_VALUE,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              return !dir.equals(classFolder) && isHidden(dir)
                  ? FileVisitResult.SKIP_SUBTREE
                  : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (attrs.isRegularFile() && !isHidden(file) && hasImageExtension(file)) {
                images.add(file);
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
              if (e instanceof FileSystemLoopException) {
                LOG.warn("Skipping {}: a symbolic link to a folder it is inside of", file);
                return FileVisitResult.CONTINUE;
              }
              throw e;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + classFolder, e);
    }
    Collections.sort(images);
    return images;
  }

  private static void warnAboutSkipped(Path root, List<Path> skipped) {
    if (!skipped.isEmpty()) {
      LOG.warn(
          "Skipping {} image file(s) below {} that cannot be read or decoded: {}",
          skipped.size(),
          root,
          names(skipped));
    }
  }

  /** The first few paths, and how many more. */
  private static String names(List<Path> files) {
    String named =
        String.join(", ", files.stream().limit(NAMED_IN_WARNING).map(Path::toString).toList());
    return files.size() > NAMED_IN_WARNING
        ? named + " and " + (files.size() - NAMED_IN_WARNING) + " more"
        : named;
  }

  private static boolean isHidden(Path path) {
    return path.getFileName().toString().startsWith(".");
  }

  private static boolean hasImageExtension(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot >= 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  private static int[] toArray(List<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).toArray();
  }
}
