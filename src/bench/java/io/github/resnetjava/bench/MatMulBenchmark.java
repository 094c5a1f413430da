package io.github.resnetjava.bench;

import io.github.resnetjava.serving.SessionConfig;
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
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;

/**
 * The machine's float32 ceiling as TensorFlow reaches it: one {@code n x n} by {@code n x n} {@code
 * MatMul} per operation, {@code 2 n^3} floating-point operations, on variables (so grappler cannot
 * fold it away) in a session with {@link SessionConfig#defaults()}. The result stays in TensorFlow:
 * nothing is copied to Java.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MatMulBenchmark {
  /** The matrices' side the suite uses. */
  static final int SIDE = 2048;

  @Param({"" + SIDE})
  public int n;

  private Graph graph;
  private Session session;
  private Op product;

  @Setup
  public void build() {
    graph = new Graph();
    Ops tf = Ops.create(graph);
    Shape shape = Shape.of(n, n);
    var a =
        tf.variable(
            tf.random.randomUniform(tf.constant(shape), TFloat32.class, RandomUniform.seed(1L)));
    var b =
        tf.variable(
            tf.random.randomUniform(tf.constant(shape), TFloat32.class, RandomUniform.seed(2L)));
    product = tf.linalg.matMul(a, b);
    session = new Session(graph, SessionConfig.defaults().toConfigProto());
    session.initialize();
    multiply();
  }

  /** One {@code n x n} matrix product. */
  @Benchmark
  public void multiply() {
    session.runner().addTarget(product).run().close();
  }

  @TearDown
  public void close() {
    session.close();
    graph.close();
  }
}
