package io.syncline.review;

/**
 * A held event of a source with several targets was resolved at the target it was held at
 * (CDI event): the inbox takes it up again, so that the targets after that one in the fan-out,
 * which the hold stopped, are applied (those before it, and the resolved one, are duplicates).
 *
 * @param inboxId the held event's inbox row
 * @param itemId  the review item resolved
 * @param target  the target it was resolved at
 */
public record HeldEventResolved(Long inboxId, long itemId, String target) {
}
