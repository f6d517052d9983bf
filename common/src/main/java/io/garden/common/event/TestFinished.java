package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * The tests of an extension ran: its own suite (if any; sandboxed in a container) and the container smoke test.
 *
 * @param suite       how the suite is named ("pytest"); null when the extension has none
 * @param suitePassed null when no suite ran
 * @param suiteOutput the last lines the suite printed; null when no suite ran (and in events from before it existed)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TestFinished(String extension, boolean passed, String suite, Boolean suitePassed, String suiteDetail,
                           List<String> suiteOutput, List<ServiceHealth> services, long durationMs)
    implements EventPayload {

  public TestFinished {
    suiteOutput = suiteOutput == null ? null : List.copyOf(suiteOutput);
    services = services == null ? List.of() : List.copyOf(services);
  }
}
