package io.github.resnetjava.cli;

import io.github.resnetjava.server.VersionPolicy;
import picocli.CommandLine.Option;

/**
 * {@code --model-version-policy}, TF Serving's {@code model_version_policy}: shared by {@code
 * serve} (which serves with it) and {@code serving-config} (which writes it into {@code
 * models.config}).
 */
final class VersionPolicyOption {
  @Option(
      names = "--model-version-policy",
      paramLabel = "POLICY",
      defaultValue = "latest",
      converter = OptionConverters.Policy.class,
      description =
          "latest (serve the highest version) or all (every version) (default: ${DEFAULT-VALUE}).")
  VersionPolicy versionPolicy;
}
