package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.garden.common.model.Finding;

import java.util.List;

/** One extension's outcome inside a result event. {@code outcome} is the sync outcome, or null for validation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExtensionFindings(String extension, boolean passed, String outcome, List<Finding> findings) {

  public ExtensionFindings {
    findings = findings == null ? List.of() : List.copyOf(findings);
  }
}
