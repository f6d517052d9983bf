package io.garden.common.release;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.garden.common.event.PlannedDecision;
import io.garden.common.format.Json;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What an approval approves: the digest of a publish's decision table, row by row in order. The gateway takes it
 * from the dry run a person looked at; the publisher computes it again from the plan it made under the lock, and
 * writes nothing when the two differ (another publish landed in between).
 */
public final class PlanDigest {

  private PlanDigest() {
  }

  public static String of(List<PlannedDecision> decisions) {
    try {
      byte[] canonical = Json.events().writeValueAsBytes(decisions);
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot digest a decision table", e);
    }
  }
}
