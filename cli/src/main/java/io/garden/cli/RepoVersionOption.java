package io.garden.cli;

import io.garden.common.registry.RegistryFormat;
import picocli.CommandLine.Option;

/** {@code --repo-version}: the registry layout a command reads and writes. */
public final class RepoVersionOption {

  @Option(names = "--repo-version", paramLabel = "v2|v1", defaultValue = "v2",
      description = "Registry layout: v2 (garden/v2, needs kamiwaza_version) or v1 (garden/default).")
  String repoVersion;

  public RegistryFormat format() {
    return RegistryFormat.parse(repoVersion);
  }
}
