package io.garden.common.format;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The one owner of SnakeYAML's set-up: what untrusted YAML may do when read, and how generated YAML is laid out.
 * The readers ({@code common/model/Documents}) and the compose writer ({@code extension-rules ComposeYaml}) take
 * their options from here.
 */
public final class YamlFormat {

  /** Billion-laughs defence: a compose file needs a handful of anchors at most. */
  public static final int MAX_ALIASES = 50;
  public static final int MAX_NESTING = 64;

  private YamlFormat() {
  }

  /** For files from a repository: bounded aliases, depth and size; no duplicate or recursive keys. */
  public static LoaderOptions untrustedLoader() {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setAllowRecursiveKeys(false);
    options.setAllowDuplicateKeys(false);
    options.setNestingDepthLimit(MAX_NESTING);
    options.setCodePointLimit(FileLimits.MAX_FILE_BYTES);
    return options;
  }

  /** A resolver for one thread's reader or writer: the same answers as SnakeYAML's, remembered. */
  public static Resolver resolver() {
    return new CachingResolver();
  }

  /**
   * Block style, two-space indents, no line splitting: files people read in diffs, and the same bytes for the same
   * input.
   */
  public static DumperOptions blockWriter() {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndent(2);
    options.setIndicatorIndent(2);
    options.setIndentWithIndicator(true);
    options.setWidth(4096);
    options.setSplitLines(false);
    return options;
  }
}
