package io.garden.common.model;

/**
 * The one naming rule for images, used by sync-compose, build and push alike (SPEC §5; the old toolchain named
 * them differently in build and push): {@code kamiwazaai/{extension}-{service}} for a service built from a
 * sub-folder, {@code kamiwazaai/{extension}} for a root Dockerfile.
 */
public final class ImageNaming {

  public static final String NAMESPACE = "kamiwazaai/";

  private ImageNaming() {
  }

  /** The repository for a service built from folder {@code context} ("." or "" for the extension root). */
  public static String repository(String extensionName, String context) {
    String folder = contextFolder(context);
    return folder.isEmpty() ? NAMESPACE + extensionName : NAMESPACE + extensionName + "-" + folder;
  }

  /** The last folder of a build context, "" for the extension root. */
  public static String contextFolder(String context) {
    if (context == null) {
      return "";
    }
    String c = context.trim();
    while (c.startsWith("./")) {
      c = c.substring(2);
    }
    while (c.endsWith("/")) {
      c = c.substring(0, c.length() - 1);
    }
    if (c.isEmpty() || c.equals(".")) {
      return "";
    }
    int slash = c.lastIndexOf('/');
    return slash < 0 ? c : c.substring(slash + 1);
  }

  /** A version as an image tag: the leading "v" dropped. */
  public static String tagFor(String version) {
    return version.startsWith("v") || version.startsWith("V") ? version.substring(1) : version;
  }
}
