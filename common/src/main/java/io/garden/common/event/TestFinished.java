package io.garden.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * The tests of an extension ran: its own suite (if any; sandboxed in a container) and the container smoke test.
 *
 * @param suite       how the suite is named ("pytest"); null when the extension has none
 * @param suitePassed null when no suite ran
 * @param suiteOutput the last lines the suite printed; null when no suite ran (and in events from before it existed)
 * @param platform    for the smoke test of one platform's images before a push, that platform and how it ran
 *                    ({@code linux/arm64, emulated (qemu-aarch64)}); null for the test step's own
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TestFinished(String extension, boolean passed, String suite, Boolean suitePassed, String suiteDetail,
                           List<String> suiteOutput, List<ServiceHealth> services, long durationMs, String platform)
    implements EventPayload {

  public TestFinished(String extension, boolean passed, String suite, Boolean suitePassed, String suiteDetail,
                      List<String> suiteOutput, List<ServiceHealth> services, long durationMs) {
    this(extension, passed, suite, suitePassed, suiteDetail, suiteOutput, services, durationMs, null);
  }

  public TestFinished {
    suiteOutput = suiteOutput == null ? null : List.copyOf(suiteOutput);
    services = services == null ? List.of() : List.copyOf(services);
  }
}
