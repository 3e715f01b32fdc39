package io.syncline.review;

import io.syncline.exchange.ExchangeContract;
import io.syncline.matching.MatchChoice;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An ambiguous match, resolved by choosing one of the stored candidates by its id in the target
 * ({@code {"candidate": "b-17"}}) or a new record there ({@code {"createNew": true}}). The
 * target stage takes the choice instead of matching ({@link MatchChoice}) and the write links it
 * in the cross-system ID map, so that the record's next event goes to the same row unasked.
 */
@ApplicationScoped
class AmbiguousMatchItemResolution implements ItemResolution {

    @Override
    public ReviewQueueRepository.Kind kind() {
        return ReviewQueueRepository.Kind.ambiguous_match;
    }

    @Override
    public Answer read(ReviewItem item, Map<String, Object> stored, Map<String, Object> body, String resolvedBy) {
        List<String> candidates = candidates(stored);
        Object candidate = body.get("candidate");
        boolean createNew = Boolean.TRUE.equals(body.get("createNew"));
        if (candidate == null == !createNew) {
            throw new IllegalArgumentException("Choose one " + item.targetSystem() + " record of review item " + item.id()
                    + ", {\"candidate\": \"<id>\"} (candidates: " + String.join(", ", candidates)
                    + "), or a new one, {\"createNew\": true}");
        }
        String chosen = candidate == null ? null : String.valueOf(candidate);
        if (chosen != null && !candidates.contains(chosen)) {
            throw new IllegalArgumentException(item.targetSystem() + " record '" + chosen + "' is not a candidate of review"
                    + " item " + item.id() + "; its candidates are " + String.join(", ", candidates));
        }
        String note = ItemResolution.notePrefix(item, resolvedBy)
                + (chosen == null ? "a new " + item.targetSystem() + " record" : item.targetSystem() + " record " + chosen);
        Map<String, Object> recorded = chosen == null ? Map.of("createNew", true) : Map.of("candidate", chosen);
        return new Answer(recorded, note,
                Map.of(ExchangeContract.MATCH_CHOICE, new MatchChoice(item.id(), item.targetSystem(), chosen)));
    }

    @SuppressWarnings("unchecked")
    private static List<String> candidates(Map<String, Object> stored) {
        return ItemResolution.contextList(stored, "candidates").stream()
                .map(candidate -> ((Map<String, Object>) candidate).get("systemId"))
                .filter(Objects::nonNull)
                .map(String::valueOf)
                .toList();
    }
}
