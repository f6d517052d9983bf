package io.garden.registry;

import io.garden.common.model.Finding;

import java.nio.file.Path;
import java.util.List;

/** A registry built for a stage: the index entries and where they were written; problems stop a publish. */
public record BuiltRegistry(Path dir, List<IndexEntry> apps, List<IndexEntry> tools, List<Finding> problems) {

  public static final String APPS = "apps.json";
  public static final String TOOLS = "tools.json";

  public BuiltRegistry {
    apps = List.copyOf(apps);
    tools = List.copyOf(tools);
    problems = List.copyOf(problems);
  }

  public boolean ok() {
    return problems.stream().noneMatch(Finding::isError);
  }

  public List<IndexEntry> entries(String file) {
    return APPS.equals(file) ? apps : tools;
  }
}
