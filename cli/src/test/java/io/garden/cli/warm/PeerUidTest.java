package io.garden.cli.warm;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

class PeerUidTest {

  /** /proc/net/tcp as Linux writes it: a listener of uid 1000, and two connections to it from uids 1000 and 1001. */
  private static final List<String> TCP = List.of(
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
      "   0: 0100007F:9C40 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 11111 1 0",
      "   1: 0100007F:D431 0100007F:9C40 01 00000000:00000000 00:00000000 00000000  1001        0 22222 1 0",
      "   2: 0100007F:9C40 0100007F:D431 01 00000000:00000000 00:00000000 00000000  1000        0 33333 1 0",
      "   3: 0100007F:D432 0100007F:9C40 01 00000000:00000000 00:00000000 00000000  1000        0 44444 1 0");
  /** The same in /proc/net/tcp6, for a Java client's dual-stack socket. */
  private static final List<String> TCP6 = List.of(
      "  sl  local_address                         remote_address                        st tx_queue rx_queue tr"
          + " tm->when retrnsmt   uid  timeout inode",
      "   0: 0000000000000000FFFF00000100007F:D433 0000000000000000FFFF00000100007F:9C40 01 00000000:00000000"
          + " 00:00000000 00000000  1002        0 55555 1 0");

  @Test
  @DisplayName("the owner of a connection's client end is found by its ports, in tcp and tcp6")
  void findsTheClientsOwner() {
    assertThat(PeerUid.find(TCP, 0xD431, 0x9C40)).isEqualTo(OptionalInt.of(1001));
    assertThat(PeerUid.find(TCP, 0xD432, 0x9C40)).isEqualTo(OptionalInt.of(1000));
    assertThat(PeerUid.find(TCP6, 0xD433, 0x9C40)).isEqualTo(OptionalInt.of(1002));
  }

  @Test
  @DisplayName("a listener or an unknown connection tell nothing")
  void nothingElseCounts() {
    assertThat(PeerUid.find(TCP, 0xAAAA, 0x9C40)).isEmpty();
    assertThat(PeerUid.find(List.of("garbage"), 1, 2)).isEmpty();
  }
}
