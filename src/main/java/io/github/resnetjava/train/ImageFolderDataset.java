package io.github.resnetjava.train;

import io.github.resnetjava.export.ImageBytesPreprocessing;
import io.github.resnetjava.export.ImagePreprocessing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.Random;
import java.util.stream.Stream;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * Images in one sub-folder per class, as Keras' {@code image_dataset_from_directory} reads them:
 * class names are the sub-folder names in sorted order, and every JPEG, PNG, GIF or BMP file below
 * a class folder (recursively, sorted by path, hidden files skipped) is one image of that class.
 *
 * <p>Images are decoded and preprocessed by the very graph the exported {@code image_bytes}
 * signature runs ({@link ImageBytesPreprocessing}: decode to RGB, aspect-preserving bilinear
 * resize to {@code minAspectDim}, central crop, channel-mean subtraction), so the model trains on
 * exactly what it will be served. Files are read batch by batch when asked for, which keeps memory
 * flat for large folders; call it from the prefetch thread.
 *
 * <p>Owns a small TensorFlow graph and session: close it.
 */
public final class ImageFolderDataset implements ImageDataset {
  /** File name extensions read as images, lower case. */
  public static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "gif", "bmp");

  /** Sub-folder names taken as a ready-made split: {@code train} with one of these. */
  public static final List<String> VALIDATION_FOLDERS = List.of("validation", "val");

  private final Path root;
  private final List<String> classNames;
  private final List<Path> files;
  private final int[] labels;
  private final ImagePreprocessing preprocessing;
  private final Graph graph;
  private final Session session;
  private final Placeholder<TString> encoded;
  private final Operand<TFloat32> images;

  private ImageFolderDataset(
      Path root, List<String> classNames, List<Path> files, int[] labels,
      ImagePreprocessing preprocessing) {
    this.root = root;
    this.classNames = classNames;
    this.files = files;
    this.labels = labels;
    this.preprocessing = preprocessing;
    this.graph = new Graph();
    Ops tf = Ops.create(graph);
    this.encoded = tf.placeholder(TString.class, Placeholder.shape(Shape.of(-1)));
    this.images = ImageBytesPreprocessing.build(tf, encoded, preprocessing);
    this.session = new Session(graph);
  }

  /**
   * Every image below {@code root}'s class folders.
   *
   * @throws IllegalArgumentException if {@code root} has fewer than two class folders or a class
   *     folder holds no image
   * @throws UncheckedIOException if the folders cannot be listed
   */
  public static ImageFolderDataset open(Path root, ImagePreprocessing preprocessing) {
    List<String> classNames = classFolders(root);
    List<Path> files = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (int label = 0; label < classNames.size(); label++) {
      for (Path file : imagesIn(root.resolve(classNames.get(label)))) {
        files.add(file);
        labels.add(label);
      }
    }
    return new ImageFolderDataset(
        root, classNames, files, labels.stream().mapToInt(Integer::intValue).toArray(),
        preprocessing);
  }

  /**
   * The training and validation sets of {@code root}: its {@code train} and {@code validation}
   * (or {@code val}) sub-folders when it has both, otherwise a stratified, seeded hold-out of
   * {@code validationFraction} of each class's images (at least one per class).
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
        ImageFolderDataset trainSet = open(train, preprocessing);
        try {
          return new DatasetSplit(trainSet, open(validation, preprocessing));
        } catch (RuntimeException e) {
          trainSet.close();
          throw e;
        }
      }
    }
    if (!(validationFraction > 0 && validationFraction < 1)) {
      throw new IllegalArgumentException(
          "The validation fraction must be between 0 and 1; got " + validationFraction);
    }
    List<String> classNames = classFolders(root);
    List<Path> trainFiles = new ArrayList<>();
    List<Integer> trainLabels = new ArrayList<>();
    List<Path> validationFiles = new ArrayList<>();
    List<Integer> validationLabels = new ArrayList<>();
    for (int label = 0; label < classNames.size(); label++) {
      List<Path> classFiles = new ArrayList<>(imagesIn(root.resolve(classNames.get(label))));
      if (classFiles.size() < 2) {
        throw new IllegalArgumentException(
            "Class folder " + root.resolve(classNames.get(label))
                + " needs at least 2 images to hold one out for validation");
      }
      Collections.shuffle(
          classFiles, new Random(Seeds.derive(seed, Seeds.SPLIT, label)));
      int held =
          (int) Math.max(1, Math.min(classFiles.size() - 1,
              Math.round(classFiles.size() * validationFraction)));
      for (int i = 0; i < classFiles.size(); i++) {
        boolean validation = i < held;
        (validation ? validationFiles : trainFiles).add(classFiles.get(i));
        (validation ? validationLabels : trainLabels).add(label);
      }
    }
    return new DatasetSplit(
        new ImageFolderDataset(root, classNames, trainFiles, toArray(trainLabels), preprocessing),
        new ImageFolderDataset(
            root, classNames, validationFiles, toArray(validationLabels), preprocessing));
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
      decode(contents, imagesNhwc);
    } catch (RuntimeException e) {
      throw new UncheckedIOException(
          new IOException(
              "Cannot decode " + culprit(indices) + " as JPEG, PNG, GIF or BMP: "
                  + e.getMessage().lines().findFirst().orElse(""), e));
    }
  }

  private void decode(byte[][] contents, float[] imagesNhwc) {
    try (TString bytes = TString.tensorOfBytes(NdArrays.vectorOfObjects(contents));
        Result result = session.runner().feed(encoded, bytes).fetch(images).run()) {
      TFloat32 decoded = (TFloat32) result.get(0);
      decoded.copyTo(DataBuffers.of(imagesNhwc, false, false).narrow(decoded.size()));
    }
  }

  /** The first file of a failed batch that fails on its own (TF's error does not name it). */
  private Path culprit(int[] indices) {
    int side = preprocessing.resizeDim();
    float[] scratch = new float[side * side * ImagePreprocessing.CHANNELS];
    for (int index : indices) {
      try {
        decode(new byte[][] {Files.readAllBytes(files.get(index))}, scratch);
      } catch (IOException | RuntimeException e) {
        return files.get(index);
      }
    }
    return files.get(indices[0]);
  }

  @Override
  public void close() {
    try {
      session.close();
    } finally {
      graph.close();
    }
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT, "image folder %s (%d classes, %d images)", root, classNames.size(),
        files.size());
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
            "Image folder " + root + " needs one sub-folder per class, at least 2; found "
                + names);
      }
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + root, e);
    }
  }

  private static List<Path> imagesIn(Path classFolder) {
    try (Stream<Path> paths = Files.walk(classFolder)) {
      List<Path> images =
          paths
              .filter(Files::isRegularFile)
              .filter(p -> !p.getFileName().toString().startsWith("."))
              .filter(ImageFolderDataset::hasImageExtension)
              .sorted()
              .toList();
      if (images.isEmpty()) {
        throw new IllegalArgumentException(
            "Class folder " + classFolder + " holds no image (" + EXTENSIONS + ")");
      }
      return images;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + classFolder, e);
    }
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
