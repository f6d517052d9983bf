package io.garden.cli.warm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The warm servers one user has running, found by their state files, for {@code garden daemon}. */
public final class WarmServers {

  private static final Duration STOP_WAIT = Duration.ofSeconds(10);

  /** One running server: its state file and its process. */
  public record Server(Path stateFile, int port, ProcessHandle process) {

    public String describe() {
      String since = process.info().startInstant().map(Object::toString).orElse("an unknown time");
      return "pid " + process.pid() + ", port " + port + ", since " + since + ", log " + stateFile + ".log";
    }

    /** True once its start-up warm-up is over (it says so in its log), or when it had none to do. */
    public boolean warmedUp() {
      try {
        String log = Files.readString(stateFile.resolveSibling(stateFile.getFileName() + ".log"));
        return log.contains(WarmServer.WARMED_UP) || log.contains(WarmServer.NO_WARM_UP);
      } catch (IOException e) {
        return false;
      }
    }

    /** Stops it (its shutdown removes its state file); true when it is gone. */
    public boolean stop() {
      process.destroy();
      try {
        process.onExit().get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        process.destroyForcibly();
      }
      return !process.isAlive();
    }
  }

  private WarmServers() {
  }

  /** The servers whose state files are in {@code folder} and whose process is still a warm server. */
  public static List<Server> in(Path folder) {
    List<Server> servers = new ArrayList<>();
    if (!Files.isDirectory(folder)) {
      return servers;
    }
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(WarmServers::isStateFile).sorted().toList()) {
        read(file).ifPresent(servers::add);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("Error: cannot read " + folder + ": " + e.getMessage());
    }
    return servers;
  }

  /** A server's state file (not its log, lock or a half-written copy). */
  public static boolean isStateFile(Path file) {
    String name = file.getFileName().toString();
    return name.startsWith("warm-") && !name.endsWith(".log") && !name.endsWith(".lock") && !name.endsWith(".tmp");
  }

  /** A pid is only trusted while its process is a warm server for this very file (pids are reused). */
  private static Optional<Server> read(Path file) {
    try {
      String[] fields = Files.readString(file, StandardCharsets.US_ASCII).strip().split(" ");
      if (fields.length != 4) {
        return Optional.empty();
      }
      return ProcessHandle.of(Long.parseLong(fields[2]))
          .filter(process -> process.info().arguments().map(List::of)
              .filter(args -> args.contains(WarmServer.class.getName()) && args.stream()
                  .anyMatch(arg -> Path.of(arg).normalize().equals(file.toAbsolutePath().normalize())))
              .isPresent())
          .map(process -> new Server(file, Integer.parseInt(fields[0]), process));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
