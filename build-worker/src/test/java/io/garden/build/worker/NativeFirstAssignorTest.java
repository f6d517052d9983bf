package io.garden.build.worker;

import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupSubscription;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class NativeFirstAssignorTest {

  private static final String TOPIC = "garden.build.platform.linux-arm64";
  private static final Node NODE = new Node(1, "localhost", 9092);
  private static final Cluster CLUSTER = new Cluster("c", List.of(NODE), IntStream.range(0, 3)
      .mapToObj(p -> new PartitionInfo(TOPIC, p, NODE, new Node[] {NODE}, new Node[] {NODE})).toList(), Set.of(),
      Set.of());

  private static Subscription member(boolean nativeBuilder, List<TopicPartition> owned) {
    NativeFirstAssignor assignor = new NativeFirstAssignor();
    assignor.configure(Map.of(NativeFirstAssignor.NATIVE_CONFIG, Boolean.toString(nativeBuilder)));
    return new Subscription(List.of(TOPIC), assignor.subscriptionUserData(Set.of(TOPIC)), owned, 1,
        java.util.Optional.empty());
  }

  private static Map<String, List<TopicPartition>> assign(Map<String, Subscription> members) {
    Map<String, List<TopicPartition>> out = new LinkedHashMap<>();
    new NativeFirstAssignor().assign(CLUSTER, new GroupSubscription(members)).groupAssignment()
        .forEach((member, assignment) -> out.put(member, assignment.partitions()));
    return out;
  }

  private static TopicPartition partition(int p) {
    return new TopicPartition(TOPIC, p);
  }

  @Test
  @DisplayName("while a native builder is in the group, emulating members get no units of its platform")
  void nativeBuildersTakeEveryPartition() {
    Map<String, Subscription> members = new LinkedHashMap<>();
    members.put("x86-emulating", member(false, List.of()));
    members.put("arm64-host", member(true, List.of()));

    Map<String, List<TopicPartition>> assigned = assign(members);

    assertThat(assigned.get("arm64-host")).containsExactlyInAnyOrder(partition(0), partition(1), partition(2));
    assertThat(assigned.get("x86-emulating")).isEmpty();
  }

  @Test
  @DisplayName("without a native builder, the emulating members share the platform's units")
  void emulatingMembersShareWhenNoNativeOne() {
    Map<String, Subscription> members = new LinkedHashMap<>();
    members.put("a", member(false, List.of()));
    members.put("b", member(false, List.of()));

    Map<String, List<TopicPartition>> assigned = assign(members);

    assertThat(assigned.get("a").size() + assigned.get("b").size()).isEqualTo(3);
    assertThat(assigned.get("a")).isNotEmpty().doesNotContainAnyElementsOf(assigned.get("b"));
  }

  @Test
  @DisplayName("a native builder joining does not take a partition an emulating member still holds, in the same round")
  void partitionsMoveOnlyAfterTheHolderGivesThemBack() {
    Map<String, Subscription> members = new LinkedHashMap<>();
    members.put("emulating", member(false, List.of(partition(0), partition(1), partition(2))));
    members.put("arm64-host", member(true, List.of()));

    Map<String, List<TopicPartition>> first = assign(members);

    assertThat(first.get("emulating")).isEmpty();
    assertThat(first.get("arm64-host")).isEmpty();

    members.put("emulating", member(false, List.of()));
    assertThat(assign(members).get("arm64-host")).hasSize(3);
  }

  @Test
  @DisplayName("an emulating member keeps what it holds when another emulating member joins (sticky)")
  void stickyAmongEmulatingMembers() {
    Map<String, Subscription> members = new LinkedHashMap<>();
    members.put("a", member(false, List.of(partition(1))));
    members.put("c", member(false, List.of()));

    assertThat(assign(members).get("a")).contains(partition(1));
  }
}
