package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** The tests of an extension ran: its own suite (if any) and the container smoke test. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TestFinished(String extension, boolean passed, String suite, Boolean suitePassed, String suiteDetail,
                           List<ServiceHealth> services, long durationMs) implements EventPayload {

  public TestFinished {
    services = services == null ? List.of() : List.copyOf(services);
  }
}
