package io.syncline.status;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.review.ReviewItem;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One record across systems, as the record status API answers: see {@link RecordStatusService}. */
@RegisterForReflection
public record RecordStatus(String entity, String canonicalId, String master, Map<String, SystemStatus> systems,
        List<ReviewItem> openReviewItems, Instant checkedAt) {
}
