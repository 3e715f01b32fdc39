package io.syncline.webhook.signature;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SignedRequestTest {

    @Test
    void looksHeadersUpWhateverTheirCase() {
        SignedRequest request = new SignedRequest("POST", "https://x.example/h", Map.of("x-hub-signature-256", "sha256=ab"), null);

        assertThat(request.header("X-Hub-Signature-256")).contains("sha256=ab");
        assertThat(request.header("X-HUB-SIGNATURE-256")).contains("sha256=ab");
        assertThat(request.headers().get("X-Hub-Signature-256")).isEqualTo("sha256=ab");
    }

    @Test
    void blankOrMissingHeaderIsEmptyAndValuesAreStripped() {
        SignedRequest request = new SignedRequest("POST", "https://x.example/h", Map.of("X-Signature", "  ", "X-Other", " v "),
                "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(request.header("X-Signature")).isEmpty();
        assertThat(request.header("X-Absent")).isEmpty();
        assertThat(request.header("x-other")).contains("v");
    }

    @Test
    void copiesHeadersSkippingNullsAndNeverChangesLater() {
        Map<String, String> headers = new HashMap<>();
        headers.put(null, "HTTP/1.1 200 OK");
        headers.put("X-Null", null);
        headers.put("X-Signature", "ab");
        SignedRequest request = new SignedRequest("POST", "https://x.example/h", headers, null);
        headers.put("X-Signature", "changed");

        assertThat(request.headers()).containsOnlyKeys("X-Signature");
        assertThat(request.header("x-signature")).contains("ab");
        assertThatThrownBy(() -> request.headers().put("X-Signature", "cd")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void missingBodyIsEmpty() {
        assertThat(new SignedRequest("POST", null, null, null).body()).isEmpty();
        assertThat(new SignedRequest("POST", null, null, null).headers()).isEmpty();
    }

    @Test
    void rejectionIsA401WithAStableCode() {
        SignatureRejectedException rejection = new SignatureRejectedException("signature does not match");

        assertThat(rejection).isInstanceOf(io.syncline.webhook.WebhookRejection.class);
        assertThat(rejection.status()).isEqualTo(401);
        assertThat(rejection.code()).isEqualTo("invalid_signature");
        assertThat(rejection).hasMessage("signature does not match");
    }
}
