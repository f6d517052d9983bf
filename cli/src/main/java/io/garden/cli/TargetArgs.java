package io.garden.cli;

import io.garden.extension.model.ExtensionDiscovery;
import io.garden.extension.model.ExtensionRef;
import io.garden.extension.model.ExtensionType;
import io.garden.extension.Selection;
import picocli.CommandLine.Parameters;

import java.util.List;

/** The optional {@code [TYPE NAME]} of commands that work on one extension or on all of them. */
public final class TargetArgs {

  @Parameters(index = "0", arity = "0..1", paramLabel = "TYPE", description = "app, service or tool (with NAME).")
  String type;

  @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "The extension's folder name.")
  String name;

  /**
   * All extensions, or the one named; a TYPE without NAME is a usage error. A bad name becomes a finding (rules
   * report it and go on with the others).
   */
  public Selection select(ExtensionDiscovery discovery) {
    if (!named()) {
      return Selection.all(discovery);
    }
    return Selection.of(discovery, List.of(ExtensionType.parse(type).folder() + "/" + name));
  }

  /** The same choice for commands that act on engines and stores: a bad name is an error, not a finding. */
  public List<ExtensionRef> resolve(ExtensionDiscovery discovery) {
    if (!named()) {
      return Selection.all(discovery).extensions();
    }
    return List.of(discovery.resolve(ExtensionType.parse(type), name));
  }

  /** True when TYPE and NAME were given. */
  public boolean isNamed() {
    return named();
  }

  private boolean named() {
    if (type != null && name == null) {
      throw new IllegalArgumentException("Error: TYPE and NAME go together, e.g. `app team-notes`; give both or neither");
    }
    return type != null;
  }
}
