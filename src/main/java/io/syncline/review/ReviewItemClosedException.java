package io.syncline.review;

import io.syncline.failure.RequestRefusal;

/**
 * The review item is not open (already resolved or discarded): 409 {@code conflict}; or there is
 * no such item: 404 {@code not_found}.
 */
public class ReviewItemClosedException extends RequestRefusal {

    public ReviewItemClosedException(String message, boolean missing) {
        super(missing ? 404 : 409, missing ? "not_found" : "conflict", null, message);
    }
}
