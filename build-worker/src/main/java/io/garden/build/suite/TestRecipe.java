package io.garden.build.suite;

import java.util.stream.Collectors;

/**
 * The Dockerfile garden writes to test an extension that has no {@code test} stage of its own: its folder on the
 * toolchain image, its dependencies installed while building (the only step with network, like any image build),
 * and the suite as the command — which then runs without network.
 */
public final class TestRecipe {

  private TestRecipe() {
  }

  public static String dockerfile(SuiteTool tool, String baseImage) {
    String install = switch (tool) {
      // A requirements file of comments only installs nothing, so a toolchain image without pip still serves it.
      case PYTEST -> "RUN if grep -qEv '^[[:space:]]*(#|$)' requirements.txt 2>/dev/null;"
          + " then python3 -m pip install --no-cache-dir -r requirements.txt; fi \\\n"
          + " && if [ -f pyproject.toml ]; then python3 -m pip install --no-cache-dir . ; fi \\\n"
          + " && (python3 -m pytest --version >/dev/null 2>&1 || python3 -m pip install --no-cache-dir pytest)";
      case NPM -> "RUN if [ -f package-lock.json ]; then npm ci; else npm install; fi";
      case GO -> "RUN go mod download";
      case TEST_STAGE -> throw new IllegalArgumentException("a test stage brings its own Dockerfile");
    };
    String command = tool.command().stream().map(part -> "\"" + part + "\"").collect(Collectors.joining(", "));
    return """
        # Written by garden to run this extension's own tests; its folder is the build context.
        FROM %s
        WORKDIR /extension
        COPY . .
        %s
        CMD [%s]
        """.formatted(baseImage, install, command);
  }
}
