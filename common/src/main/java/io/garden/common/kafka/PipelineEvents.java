package io.garden.common.kafka;

import io.garden.common.event.Envelope;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Some of one pipeline's events, read back from the audit stream: they are keyed by the pipeline, so they sit in one
 * partition, between its start and its end. What a reporter needs at a pipeline's end (its findings, its plans)
 * without keeping every running pipeline's events in memory, and without losing them to a restart. Blocking.
 */
public final class PipelineEvents {

  private PipelineEvents() {
  }

  /**
   * @param partition the partition its events are in (the one its end was read from)
   * @param since     no later than its first event (a little before its start)
   * @param until     the offset to stop before (its end's)
   * @param types     the event types wanted
   */
  public static List<Envelope> read(KafkaSettings settings, String pipelineId, int partition, Instant since,
                                    long until, Set<String> types) {
    long from;
    try (Admin admin = Admin.create(settings.admin())) {
      TopicPartition tp = new TopicPartition(Topics.EVENTS, partition);
      ListOffsetsResult.ListOffsetsResultInfo found = admin.listOffsets(Map.of(tp,
          OffsetSpec.forTimestamp(since.toEpochMilli()))).partitionResult(tp).get(30, TimeUnit.SECONDS);
      // -1: nothing written since then in that partition (the stretch is empty up to until)
      from = found.offset() < 0 ? until : found.offset();
    } catch (ExecutionException | TimeoutException e) {
      throw new KafkaUnavailableException("cannot find where pipeline " + pipelineId + " began on the audit stream: "
          + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaUnavailableException("interrupted", e);
    }
    List<Envelope> events = new ArrayList<>();
    new AuditStreamScan(types).read(settings, "pipeline-events", Map.of(partition, from), Map.of(partition, until),
        envelope -> {
          if (pipelineId.equals(envelope.pipelineId()) && types.contains(envelope.type())) {
            events.add(envelope);
          }
        });
    return events;
  }
}
