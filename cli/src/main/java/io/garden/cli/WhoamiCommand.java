package io.garden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code garden whoami}: who GARDEN_API_TOKEN is to the gateway, asked of the gateway ({@code /api/v1/me}), which
 * answers with the same policy that decides every request; what this prints is what will be allowed.
 */
@Command(name = "whoami", mixinStandardHelpOptions = true,
    description = {"Show who your credential is to the gateway (GARDEN_URL): name, roles, and what you may do.",
        "The gateway answers with the policy that decides every request."})
final class WhoamiCommand extends PipelineCommands.OnGateway {

  @Option(names = "--format", paramLabel = "text|json", defaultValue = "text", description = "text (default) or"
      + " json (the gateway's answer as it is).")
  String format;

  @Override
  public Integer call() {
    OutputFormat.check(format, "text", "json");
    io.garden.cli.remote.GatewayClient gateway = client();
    JsonNode me = gateway.me();
    PrintWriter out = out();
    if (format.equals("json")) {
      out.println(me.toString());
      out.flush();
      return ExitCodes.OK;
    }
    List<String> roles = new ArrayList<>();
    me.path("roles").forEach(r -> roles.add(r.asText()));
    List<String> may = new ArrayList<>();
    me.path("may").properties().forEach(e -> {
      if (e.getValue().asBoolean()) {
        may.add(e.getKey());
      }
    });
    out.println(me.path("actor").asText() + " on " + gateway.url());
    out.println("roles: " + (roles.isEmpty() ? "(none)" : String.join(", ", roles)));
    out.println("may: " + (may.isEmpty() ? "nothing (ask an admin for a role)" : String.join(", ", may)));
    out.flush();
    return ExitCodes.OK;
  }
}
