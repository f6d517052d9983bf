package io.garden.common.format;

/** How much of an untrusted file the readers take: one number, so JSON and YAML agree with validate's limit. */
public final class FileLimits {

  /** SPEC's size limit for one extension file; longer is a mistake or an attack. */
  public static final int MAX_FILE_BYTES = 2 * 1024 * 1024;

  private FileLimits() {
  }
}
