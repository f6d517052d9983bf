package io.garden.extension;

import java.nio.file.Path;

/**
 * One image to build: the service it is for, its build context and Dockerfile, and its repository
 * ({@code kamiwazaai/{extension}-{service}}, {@code kamiwazaai/{extension}}, or the image field's repository).
 */
public record BuildTarget(String service, Path context, Path dockerfile, String repository) {

  /** {@code repo:tag}. */
  public String ref(String tag) {
    return repository + ":" + tag;
  }
}
