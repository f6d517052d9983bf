package io.garden.common.model;

import java.nio.file.Path;

/**
 * A file that cannot be read as the document it should be: too big, empty, not valid JSON/YAML, or using a
 * forbidden construct. The message names the file, the line when known, and what is wrong.
 */
public class DocumentException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final int line;
  private final String problem;

  public DocumentException(Path file, int line, String problem) {
    super(file + (line > 0 ? ":" + line : "") + ": " + problem);
    this.file = file;
    this.line = line;
    this.problem = problem;
  }

  public Path file() {
    return file;
  }

  /** 1-based line, or 0 when unknown. */
  public int line() {
    return line;
  }

  public String problem() {
    return problem;
  }
}
