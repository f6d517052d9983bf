package io.garden.cli;

import io.garden.common.model.Stage;
import io.garden.common.registry.RegistryFormat;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code --stage} and {@code --repo-version}, shared by the registry commands. */
public final class StageOptions {

  @Option(names = "--stage", paramLabel = "dev|stage|prod", defaultValue = "dev",
      description = "Release stage (default: dev). Each stage may have its own store (GARDEN_STORE_{STAGE}).")
  String stage;

  @Mixin
  RepoVersionOption layout;

  public Stage stage() {
    return Stage.parse(stage);
  }

  public RegistryFormat format() {
    return layout.format();
  }
}
