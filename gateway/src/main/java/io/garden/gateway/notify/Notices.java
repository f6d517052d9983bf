package io.garden.gateway.notify;

import io.garden.common.event.ApprovalRequested;
import io.garden.common.event.Envelope;
import io.garden.common.event.EventPayload;
import io.garden.common.event.PipelineFinished;
import io.garden.common.event.PublishFailed;
import io.garden.common.event.PublishFinished;
import io.garden.common.event.Trigger;
import io.garden.common.event.TriggerKind;
import io.garden.common.model.Stage;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which events people are told about, and in what words: a webhook-started pipeline that failed (its author is not
 * watching a terminal), every publish to an announced stage, written or failed (customers see those stages), and a
 * write to a protected stage waiting for approval (someone has to act).
 * Everything else is quiet: a notice nobody acts on teaches people to ignore the channel.
 */
public final class Notices {

  private final Set<Stage> announced;
  private final Optional<URI> publicUrl;

  public Notices(Set<Stage> announced, Optional<URI> publicUrl) {
    this.announced = Set.copyOf(announced);
    this.publicUrl = publicUrl;
  }

  public Notices(NotifySettings settings) {
    this(settings.stages(), settings.publicUrl());
  }

  /** The notice {@code payload} (decoded from {@code envelope}) calls for, if any. */
  public Optional<Notice> of(Envelope envelope, EventPayload payload) {
    if (payload instanceof PipelineFinished finished && finished.state() == PipelineFinished.State.FAILED
        && fromAForge(finished.trigger())) {
      return Optional.of(failed(envelope, finished));
    }
    if (payload instanceof PublishFinished published && announces(published.stage())) {
      return Optional.of(published(envelope, published));
    }
    if (payload instanceof PublishFailed failed && announces(failed.stage())) {
      return Optional.of(publishFailed(envelope, failed));
    }
    if (payload instanceof ApprovalRequested asked) {
      return Optional.of(approvalRequested(envelope, asked));
    }
    return Optional.empty();
  }

  /** A write to a protected stage waits for people: whoever may approve is told, whatever the stage. */
  private Notice approvalRequested(Envelope envelope, ApprovalRequested asked) {
    List<String> details = new ArrayList<>();
    details.add("asked by " + asked.requester() + "; " + asked.required() + " approval(s) by someone else with the"
        + " approve:" + asked.stage() + " role");
    details.add("garden approve " + envelope.pipelineId() + "  |  garden reject " + envelope.pipelineId()
        + " --reason ...  (until " + asked.expiresAt() + ")");
    link(envelope).ifPresent(details::add);
    Map<String, Object> facts = facts(envelope);
    facts.put("stage", asked.stage());
    facts.put("step", asked.step().wire());
    facts.put("plan", asked.plan());
    facts.put("required", asked.required());
    facts.put("requester", asked.requester());
    facts.put("expiresAt", asked.expiresAt().toString());
    return new Notice(envelope.id(), envelope.type(), SinkRequest.APPROVAL_REQUESTED, envelope.pipelineId(),
        "Approval needed: " + asked.step().wire() + " to " + asked.stage(), details, facts);
  }

  private static boolean fromAForge(Trigger trigger) {
    return trigger != null && (trigger.kind() == TriggerKind.GITHUB || trigger.kind() == TriggerKind.GITLAB);
  }

  private boolean announces(String stage) {
    return announced.stream().anyMatch(s -> s.id().equals(stage));
  }

  private Notice failed(Envelope envelope, PipelineFinished finished) {
    Trigger trigger = finished.trigger();
    List<String> details = new ArrayList<>();
    details.add(finished.reason() == null ? "no reason given" : finished.reason());
    details.add(trigger.kind().wire() + " " + trigger.repository() + (trigger.ref() == null ? "" : " " + trigger.ref())
        + (trigger.commit() == null ? "" : " @ " + shortCommit(trigger.commit())) + (trigger.fork() ? " (fork)" : ""));
    link(envelope).ifPresent(details::add);
    Map<String, Object> facts = facts(envelope);
    facts.put("state", finished.state().wire());
    put(facts, "reason", finished.reason());
    facts.put("forge", trigger.kind().wire());
    put(facts, "repository", trigger.repository());
    put(facts, "ref", trigger.ref());
    put(facts, "commit", trigger.commit());
    return new Notice(envelope.id(), envelope.type(), "pipeline-failed", envelope.pipelineId(),
        "Pipeline " + envelope.pipelineId() + " failed", details, facts);
  }

  private Notice published(Envelope envelope, PublishFinished published) {
    String changes = published.written()
        ? published.inserted() + " inserted, " + published.replaced() + " replaced, " + published.removed()
            + " removed, " + published.unchanged() + " unchanged"
        : "nothing changed (" + published.unchanged() + " unchanged)";
    List<String> details = new ArrayList<>();
    details.add(changes);
    details.add("by " + envelope.actor() + ", pipeline " + envelope.pipelineId());
    link(envelope).ifPresent(details::add);
    Map<String, Object> facts = facts(envelope);
    facts.put("stage", published.stage());
    facts.put("inserted", published.inserted());
    facts.put("replaced", published.replaced());
    facts.put("removed", published.removed());
    facts.put("unchanged", published.unchanged());
    facts.put("written", published.written());
    put(facts, "backup", published.backup());
    return new Notice(envelope.id(), envelope.type(), "published", envelope.pipelineId(),
        "Published to " + published.stage(), details, facts);
  }

  private Notice publishFailed(Envelope envelope, PublishFailed failed) {
    List<String> details = new ArrayList<>();
    details.add(failed.reason());
    details.add(failed.lockKept() ? "the publish lock stays until someone looks (garden unlock)"
        : failed.wrote() ? (failed.restored() ? "the index it had begun to write was put back" : "the index was written")
        : "the index was not touched");
    details.add("by " + envelope.actor() + ", pipeline " + envelope.pipelineId());
    link(envelope).ifPresent(details::add);
    Map<String, Object> facts = facts(envelope);
    facts.put("stage", failed.stage());
    put(facts, "reason", failed.reason());
    facts.put("wrote", failed.wrote());
    facts.put("restored", failed.restored());
    facts.put("lockKept", failed.lockKept());
    return new Notice(envelope.id(), envelope.type(), "publish-failed", envelope.pipelineId(),
        "Publish to " + failed.stage() + " failed", details, facts);
  }

  private Map<String, Object> facts(Envelope envelope) {
    Map<String, Object> facts = new LinkedHashMap<>();
    put(facts, "pipeline", envelope.pipelineId());
    put(facts, "actor", envelope.actor());
    facts.put("time", envelope.time().toString());
    link(envelope).ifPresent(url -> facts.put("url", url));
    return facts;
  }

  private Optional<String> link(Envelope envelope) {
    if (envelope.pipelineId() == null) {
      return Optional.empty();
    }
    return publicUrl.map(url -> url.toString().replaceAll("/+$", "") + "/#pipeline=" + envelope.pipelineId());
  }

  private static void put(Map<String, Object> facts, String name, Object value) {
    if (value != null) {
      facts.put(name, value);
    }
  }

  private static String shortCommit(String commit) {
    return commit.length() > 12 ? commit.substring(0, 12) : commit;
  }
}
