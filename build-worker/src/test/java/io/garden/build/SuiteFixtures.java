package io.garden.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Extensions that carry their own tests, built without a network: a busybox {@code test} stage running a shell
 * script, or a pytest suite for the Debian toolchain image ({@code scripts/container-engine.sh pytest-image}).
 */
public final class SuiteFixtures {

  private SuiteFixtures() {
  }

  /** apps/{name}: one root service serving /health, and a {@code test} stage whose command is {@code script}. */
  public static void withTestStage(Path repo, String name, String script) throws IOException {
    Path dir = app(repo, name);
    Files.copy(Path.of("/bin/busybox"), dir.resolve("busybox"), StandardCopyOption.REPLACE_EXISTING);
    Files.createDirectories(dir.resolve("www"));
    Files.writeString(dir.resolve("www/health"), "ok\n");
    Files.writeString(dir.resolve("run-tests.sh"), script);
    Files.writeString(dir.resolve("Dockerfile"), """
        FROM scratch AS base
        COPY busybox /bin/busybox
        RUN ["/bin/busybox", "--install", "-s", "/bin"]

        FROM base AS test
        COPY run-tests.sh /run-tests.sh
        CMD ["/bin/sh", "/run-tests.sh"]

        FROM base
        COPY www /www
        CMD ["/bin/sh", "-c", "exec httpd -f -p $PORT -h /www"]
        """);
  }

  /** apps/{name}: a busybox service with {@code HEALTHCHECK CMD healthcheck}; it serves /health only if asked. */
  public static void withHealthcheck(Path repo, String name, String healthcheck, boolean servesHealth)
      throws IOException {
    Path dir = app(repo, name);
    Files.copy(Path.of("/bin/busybox"), dir.resolve("busybox"), StandardCopyOption.REPLACE_EXISTING);
    Files.createDirectories(dir.resolve("www"));
    Files.writeString(dir.resolve(servesHealth ? "www/health" : "www/index.html"), "ok\n");
    Files.writeString(dir.resolve("Dockerfile"), """
        FROM scratch
        COPY busybox /bin/busybox
        RUN ["/bin/busybox", "--install", "-s", "/bin"]
        RUN ["/bin/mkdir", "/tmp"]
        COPY www /www
        HEALTHCHECK --interval=2s --timeout=3s CMD %s
        CMD ["/bin/sh", "-c", "touch /tmp/ready; exec httpd -f -p $PORT -h /www"]
        """.formatted(healthcheck));
  }

  /** apps/{name}: a pytest suite (no dependencies to install) and a root Dockerfile without a test stage. */
  public static void withPytest(Path repo, String name, String tests) throws IOException {
    Path dir = repo.resolve("apps").resolve(name);
    Files.createDirectories(dir);
    writeManifest(dir, name);
    Files.writeString(dir.resolve("docker-compose.yml"), "services:\n  web:\n    build: .\n");
    Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\nCOPY requirements.txt /\n");
    Files.writeString(dir.resolve("requirements.txt"), "# nothing to install: the toolchain image has pytest\n");
    Files.writeString(dir.resolve("test_suite.py"), tests);
  }

  private static Path app(Path repo, String name) throws IOException {
    Path dir = repo.resolve("apps").resolve(name);
    Files.createDirectories(dir);
    writeManifest(dir, name);
    int port = BusyboxFixtures.freePort();
    Files.writeString(dir.resolve("docker-compose.yml"), """
        services:
          web:
            build: .
            ports: ["%d:%d"]
            environment:
              PORT: "%d"
        """.formatted(port, port, port));
    return dir;
  }

  private static void writeManifest(Path dir, String name) throws IOException {
    Files.writeString(dir.resolve("kamiwaza.json"), """
        {"name": "%s", "version": "1.0.0", "source_type": "kamiwaza", "visibility": "private",
         "description": "an extension with its own tests", "risk_tier": 0, "verified": false,
         "kamiwaza_version": ">=0.8.0"}
        """.formatted(name));
  }
}
