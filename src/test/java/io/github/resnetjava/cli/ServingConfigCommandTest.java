package io.github.resnetjava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code resnet serving-config} writes TF Serving's text-format config files. */
class ServingConfigCommandTest {
  @TempDir Path models;

  private void version(String path) throws IOException {
    Files.createDirectories(models.resolve(path));
    Files.writeString(models.resolve(path).resolve("saved_model.pb"), "");
  }

  @Test
  void listsEveryModelWithAVersionAndTheBatchingParameters() throws IOException {
    version("resnet/1");
    version("resnet/2");
    version("tiny/7");
    version("resnet/.tmp-3-0f");
    Files.createDirectories(models.resolve("empty/1"));
    Files.createDirectories(models.resolve(".hidden/1"));

    CliRun run =
        CliRun.of(
            "serving-config",
            models.toString(),
            "--base-path",
            "/models/",
            "--model-version-policy",
            "all",
            "--batching",
            "--max-batch-size",
            "16",
            "--batch-timeout-micros",
            "0",
            "--max-enqueued-batches",
            "4",
            "--num-batch-threads",
            "2");

    assertEquals(0, run.exitCode(), run.err());
    assertEquals(
        """
        model_config_list {
          config {
            name: 'resnet'
            base_path: '/models/resnet'
            model_platform: 'tensorflow'
            model_version_policy { all {} }
          }
          config {
            name: 'tiny'
            base_path: '/models/tiny'
            model_platform: 'tensorflow'
            model_version_policy { all {} }
          }
        }
        """,
        Files.readString(models.resolve("models.config")));
    assertEquals(
        """
        max_batch_size { value: 16 }
        batch_timeout_micros { value: 0 }
        max_enqueued_batches { value: 4 }
        num_batch_threads { value: 2 }
        """,
        Files.readString(models.resolve("batching.config")));
  }

  @Test
  void theLatestPolicyIsTfServingsDefaultAndWritesNoPolicyBlock() throws IOException {
    version("resnet/1");
    CliRun run = CliRun.of("serving-config", models.toString());
    assertEquals(0, run.exitCode(), run.err());
    String base = models.toAbsolutePath().normalize().resolve("resnet").toString();
    assertEquals(
        "model_config_list {\n  config {\n    name: 'resnet'\n    base_path: '"
            + base
            + "'\n    model_platform: 'tensorflow'\n  }\n}\n",
        Files.readString(models.resolve("models.config")));
  }

  @Test
  void aDirectoryWithoutModelsAndABadPolicyAreUsageErrors() {
    CliRun empty = CliRun.of("serving-config", models.toString());
    assertEquals(CliErrors.BAD_ARGUMENTS, empty.exitCode());
    assertTrue(empty.err().contains("holds no model in TF Serving's layout"), empty.err());

    CliRun policy =
        CliRun.of("serve", "--models-dir", models.toString(), "--model-version-policy", "newest");
    assertEquals(CliErrors.BAD_ARGUMENTS, policy.exitCode());
    assertTrue(policy.err().contains("must be latest or all; got 'newest'"), policy.err());
  }
}
