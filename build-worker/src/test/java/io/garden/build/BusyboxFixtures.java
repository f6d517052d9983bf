package io.garden.build;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Test fixtures that build without a network: images {@code FROM scratch} with a static busybox, serving a real
 * {@code /health} (or, for the broken one, none) on a free host port (containers share the host network).
 */
public final class BusyboxFixtures {

  private static final Path BUSYBOX = Path.of("/bin/busybox");

  private BusyboxFixtures() {
  }

  /** apps/{name} with services api and worker (worker depends on api); {@code healthy=false} serves no /health. */
  public static void write(Path repo, String name, String version, boolean healthy) throws IOException {
    Path dir = repo.resolve("apps").resolve(name);
    int apiPort = freePort();
    int workerPort = freePort();
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("kamiwaza.json"), """
        {"name": "%s", "version": "%s", "source_type": "kamiwaza", "visibility": "private",
         "description": "busybox test app", "risk_tier": 0, "verified": false, "kamiwaza_version": ">=0.8.0"}
        """.formatted(name, version));
    Files.writeString(dir.resolve("docker-compose.yml"), """
        services:
          api:
            build: ./api
            ports: ["%d:%d"]
            environment:
              PORT: "%d"
          worker:
            build: ./worker
            ports: ["%d"]
            environment:
              - PORT=%d
              - GREETING=${GREETING:-hello}
            volumes:
              - %s_data:/data
            depends_on: [api]
        volumes:
          %s_data:
        """.formatted(apiPort, apiPort, apiPort, workerPort, workerPort, name.replace('-', '_'),
        name.replace('-', '_')));
    for (String service : new String[] {"api", "worker"}) {
      Path context = dir.resolve(service);
      Files.createDirectories(context.resolve("www"));
      Files.copy(BUSYBOX, context.resolve("busybox"), StandardCopyOption.REPLACE_EXISTING);
      if (healthy) {
        Files.writeString(context.resolve("www/health"), "ok\n");
      } else {
        Files.writeString(context.resolve("www/index.html"), "no health here\n");
      }
      Files.writeString(context.resolve("Dockerfile"), """
          FROM scratch
          COPY busybox /bin/busybox
          RUN ["/bin/busybox", "--install", "-s", "/bin"]
          COPY www /www
          CMD ["/bin/sh", "-c", "echo %s starting on $PORT; exec httpd -f -p $PORT -h /www"]
          """.formatted(service));
    }
  }

  /** Where scripts/container-engine.sh platforms puts a static arm64 busybox. */
  public static final Path ARM64_BUSYBOX = Path.of("/usr/local/lib/garden/busybox-arm64");

  /**
   * {@link #write} for several platforms: each service copies the busybox of the platform it is built for
   * ({@code TARGETARCH}) and records {@code uname -m} in {@code /arch} while building (under emulation for arm64).
   * With {@code failOnArm64}, the worker service's build fails on arm64 only.
   */
  public static void writeMultiPlatform(Path repo, String name, String version, boolean failOnArm64)
      throws IOException {
    write(repo, name, version, true);
    Path dir = repo.resolve("apps").resolve(name);
    for (String service : new String[] {"api", "worker"}) {
      Path context = dir.resolve(service);
      Files.move(context.resolve("busybox"), context.resolve("busybox-amd64"), StandardCopyOption.REPLACE_EXISTING);
      Files.copy(ARM64_BUSYBOX, context.resolve("busybox-arm64"), StandardCopyOption.REPLACE_EXISTING);
      String check = failOnArm64 && service.equals("worker")
          ? "RUN [\"/bin/sh\", \"-c\", \"test $(uname -m) != aarch64 || { echo 'no arm64 here'; exit 1; }\"]\n" : "";
      Files.writeString(context.resolve("Dockerfile"), """
          FROM scratch
          ARG TARGETARCH
          COPY busybox-${TARGETARCH} /bin/busybox
          RUN ["/bin/busybox", "--install", "-s", "/bin"]
          RUN ["/bin/sh", "-c", "uname -m > /arch"]
          %sCOPY www /www
          CMD ["/bin/sh", "-c", "echo %s starting on $PORT; exec httpd -f -p $PORT -h /www"]
          """.formatted(check, service));
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
