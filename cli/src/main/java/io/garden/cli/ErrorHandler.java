package io.garden.cli;

import picocli.CommandLine;

/**
 * Turns an exception from a command into one clear line on stderr. A stack trace is only printed with
 * {@code GARDEN_DEBUG=1}: users need to know what to fix, not where our code was.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {

  private final java.util.Map<String, String> env;

  ErrorHandler(java.util.Map<String, String> env) {
    this.env = env;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    cli.getErr().println(message.startsWith("Error:") ? message : "Error: " + message);
    if ("1".equals(env.get("GARDEN_DEBUG"))) {
      e.printStackTrace(cli.getErr());
    }
    return e instanceof IllegalArgumentException ? ExitCodes.USAGE : ExitCodes.FINDINGS;
  }
}
