package io.metadataops.upgrade;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which crossed breaking changes still wait for a human, and which approvals matched nothing.
 *
 * @param pending ids that need approval and are not in {@code approvedChanges}, in catalogue order
 * @param unmatched ids in {@code approvedChanges} that name no change this upgrade crosses: usually
 *     a typo, reported so that it does not silently approve nothing
 */
public record ApprovalReview(List<String> pending, List<String> unmatched) {

  public ApprovalReview {
    pending = List.copyOf(pending);
    unmatched = List.copyOf(unmatched);
  }

  /** Reviews the approvals of the spec against the changes an upgrade crosses. */
  public static ApprovalReview of(List<CatalogueEntry> crossed, Collection<String> approved) {
    Set<String> approvedIds = Set.copyOf(approved);
    Set<String> crossedIds = new LinkedHashSet<>();
    crossed.forEach(entry -> entry.changes().forEach(change -> crossedIds.add(change.id())));
    List<String> pending =
        crossed.stream()
            .flatMap(entry -> entry.changes().stream())
            .filter(BreakingChange::requiresApproval)
            .map(BreakingChange::id)
            .filter(id -> !approvedIds.contains(id))
            .toList();
    List<String> unmatched =
        approved.stream().distinct().filter(id -> !crossedIds.contains(id)).sorted().toList();
    return new ApprovalReview(pending, unmatched);
  }

  public boolean isComplete() {
    return pending.isEmpty();
  }
}
