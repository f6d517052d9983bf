package io.garden.common.kafka;

import io.garden.common.event.AccessAction;
import io.garden.common.event.AccessDecided;
import io.garden.common.event.DeliveryAccepted;
import io.garden.common.event.EventCodec;
import io.garden.common.event.EventContext;
import io.garden.common.event.TriggerKind;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AuditStreamScanTest {

  private static final EventCodec CODEC = EventCodec.shared();
  private static final EventContext CONTEXT = new EventContext("p-1", "c-1", "api:it", "it");
  private final AuditStreamScan deliveries = new AuditStreamScan(Set.of("delivery.accepted"));

  @Test
  @DisplayName("an encoded event of a wanted type is always picked up by the look at its bytes")
  void findsTheWantedTypeAsTheCodecWritesIt() {
    byte[] accepted = CODEC.encode(new DeliveryAccepted(TriggerKind.GITHUB, List.of("github:abc")), CONTEXT);
    assertThat(deliveries.wanted(accepted)).isTrue();
  }

  @Test
  @DisplayName("an event of another type is passed over undecoded")
  void passesOverOtherTypes() {
    byte[] decided = CODEC.encode(new AccessDecided("api:it", AccessAction.RUN, "dev", true, "ok", "api", "all"),
        CONTEXT);
    assertThat(deliveries.wanted(decided)).isFalse();
  }

  @Test
  @DisplayName("the look finds a marker at the very start and the very end, and none in a shorter text")
  void searchesTheWholeText() {
    byte[] marker = "ab".getBytes(StandardCharsets.UTF_8);
    assertThat(AuditStreamScan.indexOf("abxx".getBytes(StandardCharsets.UTF_8), marker)).isZero();
    assertThat(AuditStreamScan.indexOf("xxab".getBytes(StandardCharsets.UTF_8), marker)).isEqualTo(2);
    assertThat(AuditStreamScan.indexOf("xaxb".getBytes(StandardCharsets.UTF_8), marker)).isEqualTo(-1);
    assertThat(AuditStreamScan.indexOf("a".getBytes(StandardCharsets.UTF_8), marker)).isEqualTo(-1);
  }
}
