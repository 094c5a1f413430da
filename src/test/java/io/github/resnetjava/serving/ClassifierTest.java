package io.github.resnetjava.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.resnetjava.export.SavedModelExporter;
import io.github.resnetjava.model.DataFormat;
import io.github.resnetjava.savedmodel.Signatures;
import io.github.resnetjava.testing.ReferenceMath;
import io.github.resnetjava.testing.ServingFixture;
import io.github.resnetjava.testing.TestImages;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;

/** Loading an export, classifying through both signatures, bad input, and concurrent calls. */
class ClassifierTest {
  private static final int C = ServingFixture.CLASSES;
  private static final int SIDE = ServingFixture.RESIZE_DIM;
  private static final int PIXELS = SIDE * SIDE * 3;
  private static final int BATCH = 4;
  private static final List<String> LABELS =
      List.of("cat", "dog", "fish", "bird", "horse", "ship", "truck");

  @TempDir static Path modelsDir;

  private static float[] images;
  private static float[] expectedProbabilities;
  private static List<byte[]> files;
  private static float[] expectedFileProbabilities;
  private static Path version1;
  private static Classifier classifier;

  @BeforeAll
  static void exportModel() {
    images = ServingFixture.images(BATCH, 23);
    files =
        List.of(
            TestImages.encode(TestImages.pattern(53, 37, BufferedImage.TYPE_INT_RGB, 1), "png"),
            TestImages.encode(TestImages.pattern(61, 90, BufferedImage.TYPE_INT_RGB, 2), "jpg"),
            TestImages.encode(TestImages.pattern(40, 41, BufferedImage.TYPE_INT_RGB, 3), "bmp"));
    try (ServingFixture fixture = ServingFixture.create(DataFormat.CHANNELS_LAST)) {
      fixture.setLogitsBias(new float[] {0.5f, -1f, 2f, 0f, 1.5f, -0.25f, 3f});
      expectedProbabilities = fixture.runInput(fixture.serving.probabilities(), images, BATCH);
      expectedFileProbabilities = fixture.runImageBytes(fixture.serving.probabilities(), files);
      SavedModelExporter exporter = SavedModelExporter.into(modelsDir, "resnet");
      version1 = exporter.withLabels(LABELS).export(fixture.session, fixture.serving, 1);
      exporter.export(fixture.session, fixture.serving, 2);
    }
    classifier = Classifier.load(version1);
  }

  @AfterAll
  static void close() {
    classifier.close();
  }

  /** The top {@code k} of row {@code row} of {@code probabilities}, ranked by a plain sort. */
  private static List<Integer> ranking(float[] probabilities, int row, int k) {
    return IntStream.range(0, C)
        .boxed()
        .sorted(Comparator.comparingDouble((Integer c) -> -probabilities[row * C + c]))
        .limit(k)
        .toList();
  }

  private static void assertMatches(
      float[] probabilities, int row, List<Prediction> actual, int k) {
    List<Integer> expected = ranking(probabilities, row, k);
    assertEquals(expected, actual.stream().map(Prediction::classIndex).toList());
    for (Prediction p : actual) {
      assertEquals(probabilities[row * C + p.classIndex()], p.probability(), 1e-5f);
    }
  }

  private static float[] image(int index) {
    return Arrays.copyOfRange(images, index * PIXELS, (index + 1) * PIXELS);
  }

  @Test
  void readsSizesAndLabelsFromTheExport() {
    assertEquals(SIDE, classifier.resizeDim());
    assertEquals(C, classifier.numClasses());
    assertEquals(LABELS, classifier.labels());
    assertEquals(
        ServingFixture.MIN_ASPECT_DIM, classifier.preprocessor().preprocessing().minAspectDim());
    assertEquals(version1, classifier.savedModelDir());
  }

  @Test
  void aModelNameDirectoryLoadsItsHighestVersionAndIndicesServeAsLabelsWithoutLabelsTxt()
      throws IOException {
    Files.createDirectories(modelsDir.resolve("resnet/10"));
    Files.createDirectories(modelsDir.resolve("resnet/.tmp-11-0f"));
    try (Classifier latest = Classifier.load(modelsDir.resolve("resnet"))) {
      assertEquals(modelsDir.resolve("resnet/2"), latest.savedModelDir());
      assertEquals(List.of("0", "1", "2", "3", "4", "5", "6"), latest.labels());
      List<Prediction> top = latest.classify(image(0), 1, 1).get(0);
      assertEquals(String.valueOf(top.get(0).classIndex()), top.get(0).label());
    }
  }

  @Test
  void classifyReturnsTheBuildingSessionsTopKWithLabels() {
    List<List<Prediction>> predictions = classifier.classify(images, BATCH, 3);
    assertEquals(BATCH, predictions.size());
    for (int i = 0; i < BATCH; i++) {
      assertMatches(expectedProbabilities, i, predictions.get(i), 3);
      for (Prediction p : predictions.get(i)) {
        assertEquals(LABELS.get(p.classIndex()), p.label());
      }
    }
  }

  @Test
  void aTopKAboveTheClassCountReturnsEveryClass() {
    List<Prediction> all = classifier.classify(image(1), 1, 100).get(0);
    assertMatches(expectedProbabilities, 1, all, C);
    assertEquals(1.0, all.stream().mapToDouble(Prediction::probability).sum(), 1e-5);
  }

  @Test
  void aFloatBufferGivesTheArrayResultAndKeepsItsPosition() {
    float[] padded = new float[5 + images.length];
    System.arraycopy(images, 0, padded, 5, images.length);
    FloatBuffer heap = FloatBuffer.wrap(padded);
    heap.position(5);
    FloatBuffer direct =
        java.nio.ByteBuffer.allocateDirect(images.length * 4)
            .order(java.nio.ByteOrder.nativeOrder())
            .asFloatBuffer()
            .put(images)
            .flip();
    List<List<Prediction>> fromArray = classifier.classify(images, BATCH, 2);
    assertEquals(fromArray, classifier.classify(heap, BATCH, 2));
    assertEquals(5, heap.position());
    assertEquals(fromArray, classifier.classify(direct, BATCH, 2));
  }

  @Test
  void anImagesResultDoesNotDependOnTheRestOfItsBatch() {
    List<List<Prediction>> batch = classifier.classify(images, BATCH, C);
    for (int i = 0; i < BATCH; i++) {
      List<Prediction> alone = classifier.classify(image(i), 1, C).get(0);
      for (int k = 0; k < C; k++) {
        assertEquals(alone.get(k).classIndex(), batch.get(i).get(k).classIndex());
        assertEquals(alone.get(k).probability(), batch.get(i).get(k).probability(), 1e-6f);
      }
    }
  }

  @Test
  void encodedImagesOfDifferentSizesAndFormatsMatchTheBuildingSession() {
    List<List<Prediction>> predictions = classifier.classifyEncoded(files, C);
    for (int i = 0; i < files.size(); i++) {
      assertMatches(expectedFileProbabilities, i, predictions.get(i), C);
      List<Prediction> alone = classifier.classifyEncoded(files.get(i), C);
      for (int k = 0; k < C; k++) {
        assertEquals(alone.get(k).probability(), predictions.get(i).get(k).probability(), 1e-6f);
      }
    }
  }

  @Test
  void aBufferedImageIsPreprocessedInJavaAsTheGraphPreprocessesItsPng() {
    BufferedImage image = TestImages.pattern(71, 43, BufferedImage.TYPE_INT_RGB, 9);
    List<Prediction> java = classifier.classify(image, C);
    List<Prediction> graph = classifier.classifyEncoded(TestImages.encode(image, "png"), C);
    assertEquals(
        graph.stream().map(Prediction::classIndex).toList(),
        java.stream().map(Prediction::classIndex).toList());
    for (int k = 0; k < C; k++) {
      assertEquals(graph.get(k).probability(), java.get(k).probability(), 1e-6f);
    }
  }

  @Test
  void badInputIsRejectedClearlyAndTheClassifierKeepsWorking() {
    byte[] png = files.get(0);
    List<Executable> bad =
        List.of(
            () -> classifier.classify(new float[PIXELS - 1], 1, 1),
            () -> classifier.classify(images, BATCH + 1, 1),
            () -> classifier.classify(new float[0], 0, 1),
            () -> classifier.classify((float[]) null, 1, 1),
            () -> classifier.classify(FloatBuffer.allocate(PIXELS + 3), 1, 1),
            () -> classifier.classify(images, BATCH, 0),
            () -> classifier.classify((BufferedImage) null, 1),
            () -> classifier.classifyEncoded(new byte[0], 1),
            () -> classifier.classifyEncoded(List.of(), 1),
            () -> classifier.classifyEncoded(Arrays.asList(png, null), 1),
            () -> classifier.classifyEncoded(png, -3));
    for (int i = 0; i < bad.size(); i++) {
      assertThrows(InvalidInputException.class, bad.get(i), "case " + i);
      assertMatches(expectedProbabilities, 0, classifier.classify(image(0), 1, 3).get(0), 3);
    }
    InvalidInputException length =
        assertThrows(InvalidInputException.class, () -> classifier.classify(new float[10], 2, 1));
    assertTrue(length.getMessage().contains("= 6144 floats"), length.getMessage());
  }

  @Test
  void undecodableBytesAreReportedWithoutKillingTheSession() {
    // Its header is whole, so it passes the Java checks and TensorFlow's decoder rejects it.
    byte[] truncatedPng = Arrays.copyOf(files.get(0), 60);
    for (byte[] corrupt : List.of(truncatedPng)) {
      InvalidInputException e =
          assertThrows(
              InvalidInputException.class,
              () -> classifier.classifyEncoded(List.of(files.get(1), corrupt), 1));
      assertTrue(
          e.getMessage().startsWith("TensorFlow rejected the input of 2 image(s)"), e.getMessage());
      assertTrue(!e.getMessage().contains("{{node"), "no graph node dump: " + e.getMessage());
      assertMatches(expectedFileProbabilities, 1, classifier.classifyEncoded(files.get(1), 2), 2);
    }
  }

  @Test
  void directoriesThatHoldNoServableModelFailToLoadWithTheReason(@TempDir Path dir)
      throws IOException {
    assertLoadFails(dir.resolve("missing"), "does not exist");
    assertLoadFails(dir, "holds no saved_model.pb");
    Files.writeString(dir.resolve("notes.txt"), "hello");
    Files.createDirectories(dir.resolve("3"));
    assertLoadFails(dir, "holds no saved_model.pb");

    Path corrupt = Files.createDirectories(dir.resolve("corrupt"));
    Files.writeString(corrupt.resolve("saved_model.pb"), "garbage");
    assertLoadFails(corrupt, "TensorFlow could not load");

    Path foreign = dir.resolve("foreign");
    exportForeignModel(foreign);
    assertLoadFails(foreign, "no signature 'serving_default'");

    Path mislabelled = Files.createDirectories(dir.resolve("mislabelled"));
    try (Stream<Path> entries = Files.walk(version1)) {
      for (Path source : entries.toList()) {
        Path target = mislabelled.resolve(version1.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
    Files.write(mislabelled.resolve("labels.txt"), List.of("only", "three", "labels"));
    assertLoadFails(mislabelled, "3 lines but the model has 7 classes");
  }

  @Test
  void aZeroPaddedVersionDirectoryIsLoadedUnderItsOwnName(@TempDir Path dir) throws IOException {
    // TF Serving parses "007" as version 7 and serves it from 007.
    Path model = dir.resolve("padded");
    copyTree(version1, model.resolve("3"));
    copyTree(version1, model.resolve("007"));
    try (Classifier padded = Classifier.load(model)) {
      assertEquals(model.resolve("007"), padded.savedModelDir());
      assertMatches(expectedProbabilities, 0, padded.classify(image(0), 1, 3).get(0), 3);
    }
    copyTree(version1, model.resolve("7"));
    assertLoadFails(model, "holds 2 directories for version 7 [007, 7]: keep one of them");
  }

  @Test
  void everyLoadFailureIsAModelLoadException(@TempDir Path dir) throws IOException {
    // Signatures as ours, but min_aspect_dim is a placeholder: running it fails inside
    // TensorFlow with an INVALID_ARGUMENT status, an IllegalArgumentException in TF Java.
    Path unrunnable = dir.resolve("unrunnable");
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> input =
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, SIDE, SIDE, 3)));
      Operand<TFloat32> probabilities =
          tf.linalg.matMul(
              tf.reshape(input, tf.constant(new int[] {-1, PIXELS})),
              tf.variable(tf.zeros(tf.constant(new int[] {PIXELS, C}), TFloat32.class)));
      Placeholder<TString> bytes = tf.placeholder(TString.class, Placeholder.shape(Shape.of(-1)));
      tf.withName(Signatures.MIN_ASPECT_DIM_NODE).placeholder(TInt32.class);
      try (Session session = new Session(graph)) {
        SavedModelBundle.exporter(unrunnable.toString())
            .withFunction(
                SessionFunction.create(
                    Signature.builder()
                        .key(Signatures.SERVING_DEFAULT)
                        .input(Signatures.INPUT, input)
                        .output(Signatures.PROBABILITIES, probabilities)
                        .build(),
                    session))
            .withFunction(
                SessionFunction.create(
                    Signature.builder()
                        .key(Signatures.IMAGE_BYTES)
                        .input(Signatures.IMAGE_BYTES_INPUT, bytes)
                        .output(Signatures.PROBABILITIES, tf.shape(bytes))
                        .build(),
                    session))
            .export();
      }
    }
    ModelLoadException e =
        assertThrows(ModelLoadException.class, () -> Classifier.load(unrunnable));
    assertTrue(e.getMessage().startsWith("Cannot load the model in " + unrunnable), e.getMessage());
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> entries = Files.walk(from)) {
      for (Path source : entries.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }

  private static void assertLoadFails(Path dir, String reason) {
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> Classifier.load(dir));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  /** A SavedModel with one signature, "other", and none of ours. */
  private static void exportForeignModel(Path dir) throws IOException {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
      Operand<TFloat32> y = tf.math.mul(x, tf.variable(tf.constant(2f)));
      try (Session session = new Session(graph)) {
        Signature other = Signature.builder().key("other").input("x", x).output("y", y).build();
        SavedModelBundle.exporter(dir.toString())
            .withFunction(SessionFunction.create(other, session))
            .export();
      }
    }
  }

  @Test
  void eightThreadsGetExactlyTheSerialAnswers() throws Exception {
    BufferedImage image = TestImages.pattern(57, 44, BufferedImage.TYPE_INT_RGB, 12);
    float[] pair = Arrays.copyOfRange(images, PIXELS, 3 * PIXELS);
    List<Supplier<Object>> calls =
        List.of(
            () -> classifier.classify(pair, 2, 3),
            () -> classifier.classifyEncoded(files.get(0), 3),
            () -> classifier.classify(image, 3),
            () -> classifier.classifyEncoded(files, 2));
    List<Object> serial = calls.stream().map(Supplier::get).toList();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<List<Object>>> threads = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int offset = t;
        threads.add(
            () -> {
              List<Object> answers = new ArrayList<>();
              for (int i = 0; i < 50; i++) {
                answers.add(calls.get((offset + i) % calls.size()).get());
              }
              return answers;
            });
      }
      List<Future<List<Object>>> results = pool.invokeAll(threads);
      for (int t = 0; t < results.size(); t++) {
        List<Object> answers = results.get(t).get();
        for (int i = 0; i < answers.size(); i++) {
          assertEquals(
              serial.get((t + i) % calls.size()), answers.get(i), "thread " + t + " call " + i);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void explicitThreadSettingsGiveTheSameClassesAndANullOneIsRefused() {
    SessionConfig singleThreaded = SessionConfig.defaults().withThreads(1, 1);
    try (Classifier single = Classifier.load(version1, singleThreaded)) {
      for (int b = 0; b < BATCH; b++) {
        assertMatches(expectedProbabilities, b, single.classify(image(b), 1, 3).get(0), 3);
      }
    }
    assertThrows(IllegalArgumentException.class, () -> Classifier.load(version1, null));
  }

  @Test
  void bfloat16StaysCloseToFloat32OrIsRefusedWithAReason(TestReporter reporter) {
    // bfloat16 keeps 8 mantissa bits (relative rounding 2^-9 per value): where it runs, the
    // probabilities stay within the 0.06 the check allows. Where a oneDNN bfloat16 kernel is
    // wrong on this CPU (AMD family 26: the 7-class logits inner product), the check refuses it
    // and the answers are float32's, float for float.
    SessionConfig config = SessionConfig.defaults().withBfloat16(true);
    try (Classifier bfloat16 = Classifier.load(version1, config)) {
      List<List<Prediction>> rows = bfloat16.classify(images, BATCH, C);
      if (bfloat16.sessionConfig().bfloat16()) {
        assertTrue(bfloat16.bfloat16Refusal().isEmpty());
        reporter.publishEntry("bfloat16", "runs in bfloat16 on this CPU");
        assertMatchesWithin(expectedProbabilities, rows, 0.06);
      } else {
        String refusal = bfloat16.bfloat16Refusal().orElseThrow();
        reporter.publishEntry("bfloat16", "refused on this CPU: " + refusal);
        System.err.println("ClassifierTest: bfloat16 refused on this CPU: " + refusal);
        assertTrue(refusal.contains("float32") && refusal.contains(version1.toString()), refusal);
        assertEquals(config.withBfloat16(false), bfloat16.sessionConfig());
        assertMatchesWithin(expectedProbabilities, rows, 1e-5);
      }
    }
  }

  @Test
  void float32LoadsReportNoBfloat16Refusal() {
    assertEquals(SessionConfig.defaults(), classifier.sessionConfig());
    assertTrue(classifier.bfloat16Refusal().isEmpty());
  }

  private static void assertMatchesWithin(
      float[] expected, List<List<Prediction>> rows, double tolerance) {
    for (int b = 0; b < rows.size(); b++) {
      for (Prediction p : rows.get(b)) {
        assertEquals(
            expected[b * C + p.classIndex()],
            p.probability(),
            tolerance,
            "image " + b + " class " + p.classIndex());
      }
    }
  }

  @Test
  void aClosedClassifierRefusesCallsAndClosesOnce() {
    Classifier separate = Classifier.load(version1);
    assertMatches(expectedProbabilities, 2, separate.classify(image(2), 1, 2).get(0), 2);
    separate.close();
    separate.close();
    assertThrows(IllegalStateException.class, () -> separate.classify(image(2), 1, 2));
  }

  @Test
  void itsSavedModelRunsTheSignaturesOtherOutputsOnTheSameSession() {
    SavedModelBundle bundle = classifier.savedModel();
    Signature signature = bundle.function(Signatures.SERVING_DEFAULT).signature();
    try (TFloat32 batch =
            TFloat32.tensorOf(Shape.of(BATCH, SIDE, SIDE, 3), DataBuffers.of(images));
        Result result =
            bundle
                .session()
                .runner()
                .feed(signature.getInputs().get(Signatures.INPUT).name, batch)
                .fetch(signature.getOutputs().get(Signatures.LOGITS).name)
                .run()) {
      float[] logits = new float[BATCH * C];
      ((TFloat32) result.get(0)).copyTo(DataBuffers.of(logits));
      assertArrayEquals(expectedProbabilities, ReferenceMath.softmax(logits, C), 1e-5f);
    }
  }

  @Test
  void probabilitiesAreTheSameAsTheRawSessionsFloatForFloat() {
    float[] fromClassifier = new float[BATCH * C];
    List<List<Prediction>> all = classifier.classify(images, BATCH, C);
    for (int i = 0; i < BATCH; i++) {
      for (Prediction p : all.get(i)) {
        fromClassifier[i * C + p.classIndex()] = p.probability();
      }
    }
    assertArrayEquals(expectedProbabilities, fromClassifier, 1e-5f);
  }
}
