package io.github.resnetjava.train;

import io.github.resnetjava.preprocessing.ImagePreprocessing;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A procedural image-classification set that needs no download: each image is one filled shape
 * (circle, square, triangle, diamond, plus, cross, star, ring) on a noisy low-saturation gradient,
 * drawn with Java2D at a random size, position, rotation (up to {@value #MAX_ROTATION_DEGREES}
 * degrees, so a square never turns into a diamond) and saturated colour.
 *
 * <p>With up to {@value #SHAPE_COUNT} classes a class is a shape in any colour; beyond that a class
 * is a shape in one of {@value #COLOUR_COUNT} hue families ({@code red_circle}, ..., {@code
 * green_circle}, ...), up to {@link #MAX_CLASSES}. Image {@code i} has class {@code i %
 * numClasses}, so every class is equally frequent.
 *
 * <p>Images are rendered on demand from a seed derived from the dataset seed, the split and the
 * index: the same arguments give the same pixels in any JVM, and the training and validation splits
 * never share an image. Java2D runs headless ({@code java.awt.headless=true} is set unless the
 * application chose otherwise).
 */
public final class SyntheticShapesDataset implements ImageDataset {
  /** Shapes, in class-index order. */
  public static final List<String> SHAPES =
      List.of("circle", "square", "triangle", "diamond", "plus", "cross", "star", "ring");

  /** Hue families that tell classes apart beyond {@value #SHAPE_COUNT} classes. */
  public static final List<String> COLOURS =
      List.of("red", "green", "blue", "yellow", "magenta", "cyan");

  /** Number of shapes. */
  public static final int SHAPE_COUNT = 8;

  /** Number of hue families. */
  public static final int COLOUR_COUNT = 6;

  /** The most classes this dataset can tell apart: every shape in every hue family. */
  public static final int MAX_CLASSES = SHAPE_COUNT * COLOUR_COUNT;

  /** The largest rotation, in degrees either way, of a drawn shape. */
  public static final int MAX_ROTATION_DEGREES = 15;

  /** Hue (0..1) at the centre of each family in {@link #COLOURS}. */
  private static final double[] COLOUR_HUES = {0.0, 0.33, 0.62, 0.15, 0.83, 0.5};

  private static final double HUE_SPREAD = 0.035;
  private static final int NOISE_AMPLITUDE = 12;

  /** Which split an instance draws. */
  public enum Split {
    /** Training images. */
    TRAIN,
    /** Held-out images, never equal to a training image. */
    VALIDATION
  }

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private final int numClasses;
  private final int imageSize;
  private final int size;
  private final Split split;
  private final long seed;
  private final List<String> classNames;

  /**
   * @param numClasses classes, 2 to {@link #MAX_CLASSES}
   * @param imageSize image side in pixels, {@code >= 8}
   * @param size number of images
   * @param split which split to draw
   * @param seed the dataset seed
   * @throws IllegalArgumentException for a value outside those ranges
   */
  public SyntheticShapesDataset(int numClasses, int imageSize, int size, Split split, long seed) {
    if (numClasses < 2 || numClasses > MAX_CLASSES) {
      throw new IllegalArgumentException(
          "The synthetic dataset has 2 to "
              + MAX_CLASSES
              + " classes ("
              + SHAPE_COUNT
              + " shapes x "
              + COLOUR_COUNT
              + " colours); got "
              + numClasses);
    }
    if (imageSize < 8) {
      throw new IllegalArgumentException(
          "Synthetic images must be at least 8 pixels wide; got " + imageSize);
    }
    if (size < 1) {
      throw new IllegalArgumentException("size must be >= 1; got " + size);
    }
    if (split == null) {
      throw new IllegalArgumentException("split must be TRAIN or VALIDATION");
    }
    this.numClasses = numClasses;
    this.imageSize = imageSize;
    this.size = size;
    this.split = split;
    this.seed = seed;
    this.classNames = classNames(numClasses);
  }

  /**
   * The training and validation splits of one synthetic dataset.
   *
   * @param trainSize training images
   * @param validationSize validation images
   */
  public static DatasetSplit splits(
      int numClasses, int imageSize, int trainSize, int validationSize, long seed) {
    return new DatasetSplit(
        new SyntheticShapesDataset(numClasses, imageSize, trainSize, Split.TRAIN, seed),
        new SyntheticShapesDataset(numClasses, imageSize, validationSize, Split.VALIDATION, seed));
  }

  /** Class names for {@code numClasses}: shapes, or {@code <colour>_<shape>} past 8 classes. */
  static List<String> classNames(int numClasses) {
    List<String> names = new ArrayList<>();
    for (int label = 0; label < numClasses; label++) {
      String shape = SHAPES.get(label % SHAPE_COUNT);
      names.add(numClasses <= SHAPE_COUNT ? shape : COLOURS.get(label / SHAPE_COUNT) + "_" + shape);
    }
    return Collections.unmodifiableList(names);
  }

  @Override
  public List<String> classNames() {
    return classNames;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public int imageSize() {
    return imageSize;
  }

  @Override
  public int label(int index) {
    return checkIndex(index) % numClasses;
  }

  @Override
  public void readImages(int[] indices, float[] imagesNhwc) {
    int pixels = imageSize * imageSize;
    int[] argb = new int[pixels];
    for (int i = 0; i < indices.length; i++) {
      image(indices[i]).getRGB(0, 0, imageSize, imageSize, argb, 0, imageSize);
      int offset = i * pixels * ImagePreprocessing.CHANNELS;
      for (int p = 0; p < pixels; p++) {
        int to = offset + p * ImagePreprocessing.CHANNELS;
        imagesNhwc[to] = ((argb[p] >> 16) & 0xff) - ImagePreprocessing.channelMean(0);
        imagesNhwc[to + 1] = ((argb[p] >> 8) & 0xff) - ImagePreprocessing.channelMean(1);
        imagesNhwc[to + 2] = (argb[p] & 0xff) - ImagePreprocessing.channelMean(2);
      }
    }
  }

  /** Image {@code index} as an RGB picture (for writing files or feeding encoded images). */
  public BufferedImage image(int index) {
    int label = label(index);
    SplittableRandom random =
        new SplittableRandom(Seeds.derive(seed, Seeds.SYNTHETIC, split.ordinal(), index));
    BufferedImage image = new BufferedImage(imageSize, imageSize, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      drawBackground(g, random);
      drawShape(g, label, random);
    } finally {
      g.dispose();
    }
    addNoise(image, random);
    return image;
  }

  private void drawBackground(Graphics2D g, SplittableRandom random) {
    float x1 = (float) random.nextDouble(imageSize);
    float y1 = (float) random.nextDouble(imageSize);
    float x2 = (float) random.nextDouble(imageSize);
    float y2 = (float) random.nextDouble(imageSize);
    g.setPaint(new GradientPaint(x1, y1, dullColour(random), x2, y2, dullColour(random)));
    g.fill(new Rectangle2D.Double(0, 0, imageSize, imageSize));
  }

  private static Color dullColour(SplittableRandom random) {
    return Color.getHSBColor(
        (float) random.nextDouble(),
        (float) random.nextDouble(0.0, 0.25),
        (float) random.nextDouble(0.1, 0.95));
  }

  private void drawShape(Graphics2D g, int label, SplittableRandom random) {
    double radius = imageSize * random.nextDouble(0.26, 0.42);
    double margin = radius * 0.8;
    double cx = random.nextDouble(margin, imageSize - margin);
    double cy = random.nextDouble(margin, imageSize - margin);
    double angle = Math.toRadians(random.nextDouble(-MAX_ROTATION_DEGREES, MAX_ROTATION_DEGREES));
    AffineTransform placement = new AffineTransform();
    placement.translate(cx, cy);
    placement.rotate(angle);
    placement.scale(radius, radius);
    double hue =
        numClasses <= SHAPE_COUNT
            ? random.nextDouble()
            : COLOUR_HUES[label / SHAPE_COUNT] + random.nextDouble(-HUE_SPREAD, HUE_SPREAD);
    g.setColor(
        Color.getHSBColor(
            (float) (hue - Math.floor(hue)),
            (float) random.nextDouble(0.65, 1.0),
            (float) random.nextDouble(0.55, 1.0)));
    g.setStroke(new BasicStroke(0f));
    g.fill(placement.createTransformedShape(unitShape(label % SHAPE_COUNT)));
  }

  /** Shape {@code shape} of {@link #SHAPES} inside the unit circle, centred on the origin. */
  private static Shape unitShape(int shape) {
    return switch (shape) {
      case 0 -> new Ellipse2D.Double(-1, -1, 2, 2);
      case 1 -> new Rectangle2D.Double(-0.8, -0.8, 1.6, 1.6);
      case 2 -> polygon(3, 1.0, 1.0, -Math.PI / 2);
      case 3 -> polygon(4, 1.0, 1.0, -Math.PI / 2);
      case 4 -> plus();
      case 5 -> AffineTransform.getRotateInstance(Math.PI / 4).createTransformedShape(plus());
      case 6 -> polygon(10, 1.0, 0.45, -Math.PI / 2);
      case 7 -> ring();
      default -> throw new IllegalArgumentException("No shape " + shape);
    };
  }

  /** A polygon of {@code corners} vertices alternating between the outer and inner radius. */
  private static Shape polygon(int corners, double outer, double inner, double start) {
    Path2D.Double path = new Path2D.Double();
    for (int i = 0; i < corners; i++) {
      double r = i % 2 == 0 ? outer : inner;
      double a = start + 2 * Math.PI * i / corners;
      if (i == 0) {
        path.moveTo(r * Math.cos(a), r * Math.sin(a));
      } else {
        path.lineTo(r * Math.cos(a), r * Math.sin(a));
      }
    }
    path.closePath();
    return path;
  }

  private static Shape plus() {
    Area plus = new Area(new Rectangle2D.Double(-1, -0.25, 2, 0.5));
    plus.add(new Area(new Rectangle2D.Double(-0.25, -1, 0.5, 2)));
    return plus;
  }

  private static Shape ring() {
    Area ring = new Area(new Ellipse2D.Double(-1, -1, 2, 2));
    ring.subtract(new Area(new Ellipse2D.Double(-0.55, -0.55, 1.1, 1.1)));
    return ring;
  }

  /** Uniform per-channel noise, so no class is told by flat colour statistics alone. */
  private void addNoise(BufferedImage image, SplittableRandom random) {
    int[] argb = image.getRGB(0, 0, imageSize, imageSize, null, 0, imageSize);
    for (int p = 0; p < argb.length; p++) {
      int r = jitter((argb[p] >> 16) & 0xff, random);
      int gr = jitter((argb[p] >> 8) & 0xff, random);
      int b = jitter(argb[p] & 0xff, random);
      argb[p] = (r << 16) | (gr << 8) | b;
    }
    image.setRGB(0, 0, imageSize, imageSize, argb, 0, imageSize);
  }

  private static int jitter(int value, SplittableRandom random) {
    int noisy = value + random.nextInt(-NOISE_AMPLITUDE, NOISE_AMPLITUDE + 1);
    return Math.max(0, Math.min(255, noisy));
  }

  private int checkIndex(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException(
          "Image index " + index + " out of range [0, " + size + ")");
    }
    return index;
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "synthetic shapes (%d classes, %dx%d, %d %s images, seed %d)",
        numClasses,
        imageSize,
        imageSize,
        size,
        split.name().toLowerCase(Locale.ROOT),
        seed);
  }
}
