package io.github.resnetjava.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code resnet generate-images}: writes the synthetic demo pictures of {@link SampleImages}. */
@Command(
    name = "generate-images",
    description =
        "Draw a few synthetic pictures (PNG and JPEG, portrait and landscape) to try"
            + " 'predict' on.")
final class GenerateImagesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HelpOption help;

  @Option(
      names = "--output-dir",
      paramLabel = "DIR",
      required = true,
      description = "Directory to write the pictures to; created if missing.")
  Path outputDir;

  @Option(
      names = "--seed",
      paramLabel = "SEED",
      defaultValue = "1",
      description = "Picks the colours and shapes (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    for (Path file : SampleImages.write(outputDir, SampleImages.DEFAULT_SET, seed)) {
      out.println(file);
    }
    out.flush();
    return 0;
  }
}
