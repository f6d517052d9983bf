package io.garden.common.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;

/**
 * One thing validation found. {@code rule} is a stable id ({@code compose.host-port}) machines can filter on;
 * {@code message} is the old toolchain's text, which people (and CI log greps) read.
 *
 * @param extension the extension id ({@code apps/x}), or the path given when it could not be resolved
 * @param file      the file concerned, relative to the extension ({@code kamiwaza.json}), or null
 * @param line      1-based line in that file, or 0 when unknown
 * @param column    1-based column on that line, or 0 when unknown
 * @param path      where in the document, as a JSON pointer ({@code /services/web/ports/0}), or null when the
 *                  finding is about the file as a whole or something it lacks
 * @param service   the compose service concerned, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Finding(Severity severity, String rule, String extension, String file, int line,
                      // Events from before columns existed have none: read them as 0 (unknown).
                      @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonSetter(nulls = Nulls.AS_EMPTY) int column,
                      String path, String service,
                      String message) {

  /** A finding with no position inside its file (yet): see {@link #at(String)} and {@link #locatedAt}. */
  public Finding(Severity severity, String rule, String extension, String file, int line, String service,
                 String message) {
    this(severity, rule, extension, file, line, 0, null, service, message);
  }

  public static Finding error(String rule, String extension, String file, String message) {
    return new Finding(Severity.ERROR, rule, extension, file, 0, null, message);
  }

  public static Finding warning(String rule, String extension, String file, String message) {
    return new Finding(Severity.WARNING, rule, extension, file, 0, null, message);
  }

  public Finding forService(String serviceName) {
    return new Finding(severity, rule, extension, file, line, column, path, serviceName, message);
  }

  /** The same finding about the node at {@code pointer} (build one with {@link #pointer}). */
  public Finding at(String pointer) {
    return new Finding(severity, rule, extension, file, line, column, pointer, service, message);
  }

  public Finding locatedAt(int lineNumber, int columnNumber) {
    return new Finding(severity, rule, extension, file, lineNumber, columnNumber, path, service, message);
  }

  /** A JSON pointer (RFC 6901) from keys and list indexes: {@code pointer("services", "web", "ports", 0)}. */
  public static String pointer(Object... segments) {
    StringBuilder out = new StringBuilder();
    for (Object segment : segments) {
      out.append('/').append(String.valueOf(segment).replace("~", "~0").replace("/", "~1"));
    }
    return out.toString();
  }

  /**
   * Where a finding is, as editors and CI logs print it: {@code apps/x/kamiwaza.json:4:3}, as much as is known (the
   * extension alone when there is no file). Every viewer (status, tail, annotations) prints it this one way.
   */
  public static String location(String extension, String file, int line, int column) {
    if (file == null) {
      return extension;
    }
    return extension + "/" + file + (line <= 0 ? "" : ":" + line + (column <= 0 ? "" : ":" + column));
  }

  @JsonIgnore
  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** The line people read: {@code Service 'web': Port mapping '80:80' includes host port. ...}. */
  public String text() {
    return service == null ? message : "Service '" + service + "': " + message;
  }
}
