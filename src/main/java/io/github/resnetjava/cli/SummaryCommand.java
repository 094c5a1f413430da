package io.github.resnetjava.cli;

import io.github.resnetjava.summary.ModelSummarizer;
import io.github.resnetjava.summary.SummaryTable;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code resnet summary}: the Keras-style layer table of a ResNet architecture. */
@Command(
    name = "summary",
    description =
        "Print every layer of a ResNet v2 with its output shape, parameters and"
            + " multiply-adds, then the totals.")
final class SummaryCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HelpOption help;

  @Mixin ClassifierArchitectureOptions architecture;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.print(
        SummaryTable.render(
            ModelSummarizer.summarizeArchitecture(
                architecture.depth,
                architecture.classes,
                architecture.resizeDim,
                architecture.dataFormat)));
    out.flush();
    return 0;
  }
}
