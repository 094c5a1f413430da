package io.github.resnetjava.bench;

import io.github.resnetjava.export.SavedModelExporter;
import io.github.resnetjava.export.ServingGraph;
import io.github.resnetjava.model.DataFormat;
import io.github.resnetjava.model.ResNetModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import org.tensorflow.op.Ops;

/**
 * Exporting a built, initialized ResNet-50 (224x224, 1000 classes) as a SavedModel: the plain
 * export writes the graph and the variables; the optimized one reads the weights, builds the
 * frozen, folded graph and writes it. Each operation replaces the previous version.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ExportBenchmark {
  @Param({"PLAIN", "OPTIMIZED"})
  public ExportVariant model;

  private Path modelsDir;
  private Graph graph;
  private Session session;
  private ServingGraph servingGraph;
  private SavedModelExporter exporter;

  @Setup
  public void build() throws IOException {
    modelsDir = Files.createTempDirectory("resnet-bench-export-");
    graph = new Graph();
    servingGraph =
        ServingGraph.build(
            new ResNetModel(
                Ops.create(graph),
                256,
                BenchImages.SIDE,
                50,
                BenchImages.CLASSES,
                DataFormat.CHANNELS_LAST,
                42L));
    session = new Session(graph);
    session.initialize();
    exporter =
        SavedModelExporter.into(modelsDir, model.modelName())
            .withOverwrite(true)
            .withInferenceOptimization(model == ExportVariant.OPTIMIZED);
  }

  /** One export of version 1. */
  @Benchmark
  public Path export() {
    return exporter.export(session, servingGraph, 1);
  }

  @TearDown
  public void close() throws IOException {
    session.close();
    graph.close();
    try (Stream<Path> paths = Files.walk(modelsDir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
