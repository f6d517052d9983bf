package io.garden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.garden.cli.remote.GatewayClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;

/**
 * {@code garden approve ID} and {@code garden reject ID --reason}: decide on a write to a protected stage that
 * someone else asked for ({@code GARDEN_PROTECTED_STAGES}). The gateway decides who may (the {@code approve:STAGE}
 * role, never the requester) and records it; this shows the plan first, so nobody approves what they did not see.
 */
final class ApprovalCommands {

  private ApprovalCommands() {
  }

  /** What both commands do: show the plan waiting, then send the decision on exactly that plan. */
  abstract static class Decide extends PipelineCommands.OnGateway {

    @Parameters(index = "0", paramLabel = "ID", description = "The pipeline waiting for approval (garden status ID).")
    String id;

    abstract String verb();

    abstract ObjectNode body(ObjectNode body);

    @Override
    public Integer call() {
      GatewayClient gateway = client();
      PrintWriter out = out();
      JsonNode pipeline = gateway.pipeline(id);
      JsonNode approval = pipeline.path("approval");
      if (approval.isMissingNode() || approval.isNull()) {
        throw new IllegalArgumentException("Error: pipeline " + id + " is not waiting for approval: it is "
            + pipeline.path("state").asText());
      }
      print(out, approval);
      ObjectNode body = io.garden.common.format.Json.requests().createObjectNode();
      // What was shown is what is decided on: a plan that changed in between is refused by the gateway (409).
      body.put("plan", approval.path("plan").asText());
      JsonNode answer = gateway.decide(id, verb(), body(body));
      out.println(id + ": " + answer.path("decision").asText() + " (" + answer.path("approvals").asInt() + " of "
          + answer.path("required").asInt() + " approval(s))");
      out.flush();
      return ExitCodes.OK;
    }

    static void print(PrintWriter out, JsonNode approval) {
      out.println(approval.path("step").asText() + " to " + approval.path("stage").asText() + ", asked by "
          + approval.path("requester").asText() + "; plan " + approval.path("plan").asText() + ", waits until "
          + approval.path("expiresAt").asText());
      for (JsonNode row : approval.path("decisions")) {
        String replaces = row.path("replaces").isEmpty() ? "" : " (replaces " + String.join(", ",
            java.util.stream.StreamSupport.stream(row.path("replaces").spliterator(), false)
                .map(JsonNode::asText).toList()) + ")";
        out.println("  " + row.path("action").asText() + " " + row.path("name").asText() + " "
            + row.path("version").asText() + replaces);
      }
    }
  }

  @Command(name = "approve", mixinStandardHelpOptions = true,
      description = {"Approve the plan a pipeline's write to a protected stage waits with (GARDEN_URL).",
          "Needs the approve:STAGE role; the requester may not approve their own. Prints the plan first."})
  static final class Approve extends Decide {

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (optional; required with --emergency).")
    String reason;

    @Option(names = "--emergency", description = "Admin only: let it run without the approvals it needs; needs"
        + " --reason, and is flagged in the history.")
    boolean emergency;

    @Override
    String verb() {
      return "approve";
    }

    @Override
    ObjectNode body(ObjectNode body) {
      if (emergency && (reason == null || reason.isBlank())) {
        throw new IllegalArgumentException("Error: --emergency needs --reason: say why it cannot wait");
      }
      if (reason != null) {
        body.put("reason", reason);
      }
      if (emergency) {
        body.put("emergency", true);
      }
      return body;
    }
  }

  @Command(name = "reject", mixinStandardHelpOptions = true,
      description = {"Reject the plan a pipeline's write to a protected stage waits with (GARDEN_URL).",
          "The pipeline ends failed, naming you and your reason. Needs the approve:STAGE role."})
  static final class Reject extends Decide {

    @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "Why it is rejected.")
    String reason;

    @Override
    String verb() {
      return "reject";
    }

    @Override
    ObjectNode body(ObjectNode body) {
      return body.put("reason", reason);
    }
  }
}
