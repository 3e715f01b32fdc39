package io.syncline.connector.rest;

import io.syncline.model.Environment;
import io.syncline.model.ModelFile;
import io.syncline.model.ModelProblem;
import io.syncline.model.ModelReader;
import io.syncline.testsupport.ModelProblems;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a REST system's requests are written (form-encoded bodies, an idempotency key) and the
 * {@code last-id} pagination, as the model reads and checks them; and the {@code stripe} preset,
 * which uses them all.
 */
class RestRequestSettingsTest {

    private static final Environment SECRETS = Map.of("STRIPE_SECRET_KEY", "rk_test_0000", "STRIPE_WEBHOOK_SECRET", "whsec_0")::get;

    private static String model(String billing, String resource) {
        return """
                systems:
                  crm: {type: rest, baseUrl: "https://crm.example.com/api"}
                  billing:
                %s
                entities:
                  contact:
                    key: id
                    master: crm
                    webhooks: {crm: /webhooks/crm/contacts}
                    fields: {id: {type: string}, email: {type: string}}
                    mappings:
                      crm:
                        key: id
                        fields: [{field: id, path: id}, {field: email, path: email}]
                      billing:
                        key: id
                        resource: %s
                        fields: [{field: id, path: metadata.crm_id}, {field: email, path: email}]
                    match: [idMap, email]
                """.formatted(billing.indent(4).stripTrailing(), resource);
    }

    private static ModelFile file(String yaml) {
        return new ModelFile("file:billing.syncline.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    private static List<ModelProblem> problems(String yaml) {
        return ModelProblems.of(SECRETS, file(yaml));
    }

    /** A Stripe system named {@code billing} with its key, its webhook secret and {@code extra} settings. */
    private static String stripeModel(String extra) {
        return model("type: stripe\nauth: {token: {env: STRIPE_SECRET_KEY}}\nwebhook: {secret: {env: STRIPE_WEBHOOK_SECRET}}\n"
                + extra, "customers");
    }

    private static RestSettings billing(String yaml) {
        return RestSettings.of(new ModelReader().read(List.of(file(yaml))).model().systems().get("billing"));
    }

    @Test
    void aStripeSystemNamesItsKeyAndSecretAndThePresetSuppliesTheRest() {
        String yaml = stripeModel("");

        RestSettings stripe = billing(yaml);

        assertThat(stripe.type()).isEqualTo("stripe");
        assertThat(stripe.baseUrl()).isEqualTo("https://api.stripe.com");
        assertThat(stripe.resourceOf("customers")).isEqualTo("/v1/customers");
        assertThat(stripe.auth().type()).isEqualTo(RestSettings.AuthType.BEARER);
        assertThat(stripe.bodyFormat()).isEqualTo(RestSettings.BodyFormat.FORM);
        assertThat(stripe.idempotencyKey()).isEqualTo("Idempotency-Key");
        assertThat(stripe.objectOf("customers").write().withDefaults().update()).as("Stripe updates by POST")
                .isEqualTo(Write.UpdateMethod.POST);
        assertThat(stripe.pagination()).satisfies(pagination -> {
            assertThat(pagination.style()).isEqualTo(RestSettings.PaginationStyle.LAST_ID);
            assertThat(pagination.pageSize()).isEqualTo(100);
            assertThat(pagination.cursorParam()).isEqualTo("starting_after");
            assertThat(pagination.moreField()).isEqualTo("has_more");
        });
        assertThat(stripe.webhook().signature()).isEqualTo(RestSettings.SignatureScheme.STRIPE);
        assertThat(stripe.webhook().events().id()).isEqualTo("id");
        assertThat(stripe.webhook().events().record()).isEqualTo("data.object");
        assertThat(stripe.secrets()).containsOnlyKeys("auth.token", "webhook.secret");
        assertThat(problems(yaml)).isEmpty();
    }

    @Test
    void mistakesInTheRequestSettingsAreReportedAtTheirLine() {
        String yaml = model("""
                type: rest
                baseUrl: https://billing.example.com
                bodies: xml
                idempotencyKey: "Idempotency Key"
                pagination: {style: last-id, pageSize: 100}""", "/customers");

        List<ModelProblem> problems = problems(yaml);

        assertThat(problems).extracting(ModelProblem::path, ModelProblem::line).contains(
                Tuple.tuple("systems.billing.bodies", 6));
        assertThat(problems(yaml.replace("bodies: xml", "bodies: form"))).extracting(ModelProblem::path, ModelProblem::line)
                .containsExactlyInAnyOrder(
                        Tuple.tuple("systems.billing.idempotencyKey", 7),
                        Tuple.tuple("systems.billing.pagination", 8));
    }

    @Test
    void aMoreFieldEndsThePagesOfAnyStyle() {
        List<ModelProblem> problems = problems(model("""
                type: rest
                baseUrl: https://billing.example.com
                pagination: {style: next-url, nextUrlField: links.next, moreField: meta.has_more}""", "/customers"));

        assertThat(problems).isEmpty();
    }

    @Test
    void readingBackIsOffUnlessTheSystemAsksAndASettingThatIsNoBooleanIsReportedAtItsLine() {
        assertThat(billing(stripeModel("")).readsBack()).isFalse();
        assertThat(billing(stripeModel("readBack: true")).readsBack()).isTrue();
        assertThat(problems(stripeModel("readBack: sometimes")))
                .extracting(ModelProblem::path, ModelProblem::line)
                .containsExactly(Tuple.tuple("systems.billing.readBack", 7));
    }
}
