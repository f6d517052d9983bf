package io.garden.gateway.coordinator;

import io.garden.extension.model.ExtensionType;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which extensions a change affects, from the paths it touched. A path inside {@code apps/X/}, {@code services/X/}
 * or {@code tools/X/} affects that extension. Documentation (Markdown anywhere outside an extension, {@code docs/})
 * affects nothing. Anything else (the root Makefile, {@code .ci/}, shared scripts) may change how every extension
 * is built or checked, so it affects all of them.
 *
 * @param all    every extension is affected; {@code ids} is then empty and {@code reason} names the path
 * @param ids    the affected extension ids ({@code tools/tool-a}), sorted
 * @param reason why everything is affected, or null
 */
public record AffectedExtensions(boolean all, Set<String> ids, String reason) {

  public AffectedExtensions {
    ids = Set.copyOf(ids);
  }

  public static AffectedExtensions everything(String reason) {
    return new AffectedExtensions(true, Set.of(), reason);
  }

  public static AffectedExtensions of(Collection<String> paths) {
    TreeSet<String> ids = new TreeSet<>();
    for (String path : paths) {
      String[] parts = path.split("/", 3);
      if (parts.length == 3 && !parts[1].isEmpty() && isExtensionFolder(parts[0])) {
        ids.add(parts[0] + "/" + parts[1]);
      } else if (!isDocumentation(path)) {
        return everything("a shared file changed: " + path);
      }
    }
    return new AffectedExtensions(false, ids, null);
  }

  private static boolean isExtensionFolder(String folder) {
    return java.util.Arrays.stream(ExtensionType.values()).anyMatch(t -> t.folder().equals(folder));
  }

  private static boolean isDocumentation(String path) {
    return path.startsWith("docs/") || path.toLowerCase(Locale.ROOT).endsWith(".md");
  }
}
