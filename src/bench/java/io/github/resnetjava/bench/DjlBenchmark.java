package io.github.resnetjava.bench;

import ai.djl.Model;
import ai.djl.basicmodelzoo.cv.classification.ResNetV1;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The peer measured side by side: DJL 0.36's ResNetV1-50 ({@code ResNetV1.builder()} of the model
 * zoo, 1000 classes, random weights from the block's initializers) on the PyTorch 2.7.1 engine,
 * through a {@code Predictor<float[], float[]>} whose translator makes the {@code [batch, 3, 224,
 * 224]} input array in the translator context's manager and returns the softmax probabilities as a
 * {@code float[]}: the same protocol as {@link InferenceBenchmark}'s Classifier rows (one batch of
 * preprocessed images in, every class probability out, throughput mode, a warm-up batch first).
 *
 * <p>DJL runs offline ({@code -Dai.djl.offline=true}: the PyTorch library comes from the {@code
 * pytorch-native-cpu} jar, nothing is downloaded). PyTorch's intra-op and inter-op threads are set
 * to {@link #THREADS} through DJL's {@code ai.djl.pytorch.num_threads} and {@code
 * ai.djl.pytorch.num_interop_threads}, the counts {@code SessionConfig.defaults()} gives TensorFlow
 * on a 2-core machine.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DjlBenchmark {
  /** PyTorch intra-op and inter-op threads: the machine's cores, as the Classifier uses. */
  static final int THREADS = Runtime.getRuntime().availableProcessors();

  /** JVM options of the fork: offline DJL and the thread counts. */
  static final String[] JVM_ARGS = {
    "-Dai.djl.offline=true",
    "-Dai.djl.default_engine=PyTorch",
    "-Dai.djl.pytorch.num_threads=" + THREADS,
    "-Dai.djl.pytorch.num_interop_threads=" + THREADS
  };

  @Param({"1", "8"})
  public int batch;

  private Model model;
  private Predictor<float[], float[]> predictor;
  private float[] images;

  @Setup
  public void load() throws TranslateException {
    Block block =
        ResNetV1.builder()
            .setImageShape(new Shape(BenchImages.CHANNELS, BenchImages.SIDE, BenchImages.SIDE))
            .setNumLayers(50)
            .setOutSize(BenchImages.CLASSES)
            .build();
    model = Model.newInstance("resnet50-v1", "PyTorch");
    model.setBlock(block);
    block.initialize(
        model.getNDManager(),
        DataType.FLOAT32,
        new Shape(1, BenchImages.CHANNELS, BenchImages.SIDE, BenchImages.SIDE));
    predictor = model.newPredictor(new ImagesTranslator(batch));
    // The same values as the Classifier's batch; their order (NHWC there, NCHW here) does not
    // change the work.
    images = BenchImages.preprocessed(batch, BenchImages.SIDE);
    predictor.predict(images);
  }

  /** One batch through the predictor. */
  @Benchmark
  public float[] infer() throws TranslateException {
    return predictor.predict(images);
  }

  @TearDown
  public void close() {
    PeakRss.report();
    predictor.close();
    model.close();
  }

  /** {@code float[]} batch in, probabilities out; the input array lives in the context. */
  private static final class ImagesTranslator implements Translator<float[], float[]> {
    private final int batch;

    ImagesTranslator(int batch) {
      this.batch = batch;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, float[] input) {
      return new NDList(
          ctx.getNDManager()
              .create(
                  input,
                  new Shape(batch, BenchImages.CHANNELS, BenchImages.SIDE, BenchImages.SIDE)));
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
      return list.singletonOrThrow().softmax(-1).toFloatArray();
    }

    @Override
    public Batchifier getBatchifier() {
      return null;
    }
  }
}
