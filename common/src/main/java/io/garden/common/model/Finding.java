package io.garden.common.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One thing validation found. {@code rule} is a stable id ({@code compose.host-port}) machines can filter on;
 * {@code message} is the old toolchain's text, which people (and CI log greps) read.
 *
 * @param extension the extension id ({@code apps/x}), or the path given when it could not be resolved
 * @param file      the file concerned, relative to the extension ({@code kamiwaza.json}), or null
 * @param line      1-based line in that file, or 0 when unknown
 * @param service   the compose service concerned, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Finding(Severity severity, String rule, String extension, String file, int line, String service,
                      String message) {

  public static Finding error(String rule, String extension, String file, String message) {
    return new Finding(Severity.ERROR, rule, extension, file, 0, null, message);
  }

  public static Finding warning(String rule, String extension, String file, String message) {
    return new Finding(Severity.WARNING, rule, extension, file, 0, null, message);
  }

  public Finding forService(String serviceName) {
    return new Finding(severity, rule, extension, file, line, serviceName, message);
  }

  public Finding atLine(int lineNumber) {
    return new Finding(severity, rule, extension, file, lineNumber, service, message);
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
