package io.garden.common.registry;

/**
 * Registry layouts: v2 ({@code garden/v2}, every entry needs kamiwaza_version, preview images in {@code images/}) and
 * v1 ({@code garden/default}, preview images in {@code app-garden-images/}, the folder v1 platforms serve).
 */
public enum RegistryFormat {
  V2("v2", true, "images"),
  V1("default", false, "app-garden-images");

  private final String dir;
  private final boolean requiresRange;
  private final String imagesDir;

  RegistryFormat(String dir, boolean requiresRange, String imagesDir) {
    this.dir = dir;
    this.requiresRange = requiresRange;
    this.imagesDir = imagesDir;
  }

  /** The folder beside the index that holds the preview images its entries refer to. */
  public String imagesDir() {
    return imagesDir;
  }

  /** The registry-relative path of a preview image: {@code images/x.png} (v2), {@code app-garden-images/x.png} (v1). */
  public String image(String fileName) {
    return imagesDir + "/" + fileName;
  }

  /** Whether an index value names a preview image this registry carries (not a URL, not outside the folder). */
  public boolean isImage(String relative) {
    return relative.startsWith(imagesDir + "/") && !relative.contains("..");
  }

  /** The folder under {@code garden/}: {@code v2} or {@code default}. */
  public String dir() {
    return dir;
  }

  public boolean requiresRange() {
    return requiresRange;
  }

  public static RegistryFormat parse(String value) {
    return switch (value == null ? "v2" : value) {
      case "v2" -> V2;
      case "v1", "default" -> V1;
      default -> throw new IllegalArgumentException("Error: Invalid repo version '" + value + "'. Must be: v2 or v1");
    };
  }
}
