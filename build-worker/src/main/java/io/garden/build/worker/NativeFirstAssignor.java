package io.garden.build.worker;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.common.TopicPartition;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a platform's build units are shared among the build workers that build it: only among those that build it
 * natively while any is in the group, among the emulating ones otherwise. A fleet with one arm64 host builds arm64
 * there; a lone x86 worker builds both; when the arm64 host dies mid-build, the group hands its partitions, and the
 * unit it had not finished, to an emulating worker. Decided in the group's assignment, not by the coordinator, so it
 * holds on every join, leave and crash without the coordinator watching the workers.
 *
 * <p>Each member says how it builds in its subscription ({@link #NATIVE_CONFIG} in its consumer settings). Among the
 * members that may take partitions, the cooperative sticky assignor decides as for every other group here. A
 * partition still owned by a member that may no longer have it is left out of this round (the cooperative protocol:
 * the owner gives it back first, and the next round gives it out).
 */
public final class NativeFirstAssignor implements ConsumerPartitionAssignor, Configurable {

  /** Consumer setting: {@code true} when this member builds the group's platform natively. */
  public static final String NATIVE_CONFIG = "garden.build.native";
  private static final byte NATIVE = 1;
  private static final byte EMULATED = 0;

  private final CooperativeStickyAssignor sticky = new CooperativeStickyAssignor();
  private boolean nativeBuilder;

  @Override
  public void configure(Map<String, ?> configs) {
    nativeBuilder = Boolean.parseBoolean(String.valueOf(configs.get(NATIVE_CONFIG)));
  }

  @Override
  public ByteBuffer subscriptionUserData(Set<String> topics) {
    return ByteBuffer.wrap(new byte[] {nativeBuilder ? NATIVE : EMULATED});
  }

  @Override
  public GroupAssignment assign(Cluster metadata, GroupSubscription group) {
    Map<String, Subscription> members = group.groupSubscription();
    Map<String, Subscription> eligible = eligible(members);
    Map<String, Assignment> assignments = new LinkedHashMap<>(
        sticky.assign(metadata, new GroupSubscription(eligible)).groupAssignment());
    Map<TopicPartition, String> heldByIneligible = new HashMap<>();
    members.forEach((member, subscription) -> {
      if (!eligible.containsKey(member)) {
        subscription.ownedPartitions().forEach(tp -> heldByIneligible.put(tp, member));
        assignments.put(member, new Assignment(List.of()));
      }
    });
    assignments.replaceAll((member, assignment) -> {
      if (!eligible.containsKey(member)) {
        return assignment;
      }
      List<TopicPartition> free = new ArrayList<>(assignment.partitions());
      free.removeIf(heldByIneligible::containsKey);
      return new Assignment(free, assignment.userData());
    });
    return new GroupAssignment(assignments);
  }

  /** The members that may take partitions: the native builders when there is one, else every member. */
  static Map<String, Subscription> eligible(Map<String, Subscription> members) {
    Map<String, Subscription> natives = new LinkedHashMap<>();
    members.forEach((member, subscription) -> {
      if (isNative(subscription)) {
        natives.put(member, subscription);
      }
    });
    return natives.isEmpty() ? members : natives;
  }

  private static boolean isNative(Subscription subscription) {
    ByteBuffer data = subscription.userData();
    return data != null && data.limit() > 0 && data.get(0) == NATIVE;
  }

  @Override
  public void onAssignment(Assignment assignment, ConsumerGroupMetadata metadata) {
    sticky.onAssignment(assignment, metadata);
  }

  @Override
  public List<RebalanceProtocol> supportedProtocols() {
    return sticky.supportedProtocols();
  }

  @Override
  public String name() {
    return "garden-native-first";
  }
}
