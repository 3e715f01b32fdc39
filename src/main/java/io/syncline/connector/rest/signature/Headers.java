package io.syncline.connector.rest.signature;

import io.syncline.webhook.signature.SignatureRejectedException;
import io.syncline.webhook.signature.SignedRequest;

/** The headers a verifier cannot do without, refused alike by every scheme where they are missing. */
final class Headers {

    private Headers() {
    }

    /** The header's value; a request without it is refused as unsigned. */
    static String required(SignedRequest request, String name) {
        return request.header(name).orElseThrow(() -> new SignatureRejectedException("missing " + name + " header"));
    }
}
