package io.garden.cli;

import io.garden.common.ExamplesRepo;
import io.garden.common.config.GardenConfig;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/** Runs the garden CLI in-process and captures what it prints. */
record CliRun(int exitCode, String out, String err) {

  static CliRun of(String... args) {
    return of(Map.of("GARDEN_HOST", "test"), args);
  }

  static CliRun of(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(GardenConfig.fromEnv(env), env, new PrintWriter(out), new PrintWriter(err), args);
    return new CliRun(code, out.toString(), err.toString());
  }

  /** A private copy of examples/extensions, so commands that write do not touch the sources. */
  static Path copyOfExamples(Path into) throws IOException {
    return ExamplesRepo.copyTo(into);
  }
}
