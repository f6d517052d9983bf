package io.garden.common.model;

import java.util.regex.Pattern;

/**
 * A container image reference: {@code [registry/]repository[:tag][@digest]}. The registry is the first path
 * component when it looks like a host ({@code .} or {@code :} in it, or {@code localhost}), so
 * {@code host:5000/kamiwazaai/x:1.0} keeps its port (the old tool mangled it).
 */
public record ImageRef(String registry, String repository, String tag, String digest) {

  private static final Pattern REGISTRY = Pattern.compile("[A-Za-z0-9.-]+(:[0-9]+)?|\\[[0-9A-Fa-f:]+\\](:[0-9]+)?");
  private static final Pattern REPOSITORY =
      Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}");

  /** Parses a reference; null when it is not a valid one (the validator reports it). */
  public static ImageRef parse(String text) {
    if (text == null || text.isBlank() || text.length() > 512) {
      return null;
    }
    String rest = text.trim();
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
      if (!DIGEST.matcher(digest).matches()) {
        return null;
      }
    }
    String registry = null;
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        if (!REGISTRY.matcher(first).matches()) {
          return null;
        }
        registry = first;
        rest = rest.substring(slash + 1);
      }
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        return null;
      }
    }
    if (!REPOSITORY.matcher(rest).matches()) {
      return null;
    }
    return new ImageRef(registry, rest, tag, digest);
  }

  /** The repository path with its registry, without tag or digest: what a push names. */
  public String name() {
    return registry == null ? repository : registry + "/" + repository;
  }

  /** True for our own images: the repository path starts with {@code kamiwazaai/}, whatever the registry. */
  public boolean isOwn() {
    return repository.startsWith("kamiwazaai/");
  }

  public ImageRef withTag(String newTag) {
    // A digest pins the old content; with a new tag it would contradict it.
    return new ImageRef(registry, repository, newTag, newTag.equals(tag) ? digest : null);
  }

  public ImageRef withDigest(String newDigest) {
    return new ImageRef(registry, repository, tag, newDigest);
  }

  @Override
  public String toString() {
    return name() + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
  }
}
