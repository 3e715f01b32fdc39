package io.syncline.model;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Salesforce mapping's object, key and field paths go into SOQL text (SOQL has no bind
 * parameters): the model lets through only API names and relationship paths, each mistake located
 * with its fix.
 */
class SalesforceValidationTest {

    private static final Map<String, String> SECRETS = Map.of("SF_CLIENT_ID", "id", "SF_CLIENT_SECRET", "secret",
            "SF_REFRESH_TOKEN", "refresh");

    @Test
    void anythingButApiNamesInASalesforceMappingIsRefused() throws IOException {
        List<ModelProblem> problems = ModelValidationTest.problems(SECRETS::get,
                ModelValidationTest.resource("salesforce-mistakes.syncline.yaml"));
        List<String> texts = problems.stream().map(ModelProblem::toString).toList();

        assertThat(problems).allSatisfy(problem -> assertThat(problem.fix()).isNotBlank());
        assertThat(problems).extracting(ModelProblem::path).containsExactlyInAnyOrder(
                "systems.sfdc.apiVersion",
                "systems.sfdc.rateLimit.requestsPerSecond",
                "systems.sfdc.dailyCallBudget",
                "systems.sfdc.bulkAbove",
                "systems.sfdc.bulkWriteAbove",
                "entities.contact.mappings.sfdc.key",
                "entities.contact.mappings.sfdc.fields[1].path",
                "entities.contact.mappings.billing.sobject",
                "entities.account.mappings.sfdc.sobject",
                "reconciliations.leads.sideB");
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("key 'Id FROM Contact WHERE Name != ''' is not a Salesforce field name"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("sobject 'Account; DROP' is not a Salesforce API name"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("sobject is for Salesforce systems only"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("dailyCallBudget must be at least 1, got 0"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("the Salesforce mapping of 'sfdc' names no sobject to query")
                .contains("sobject: Contact"));
    }
}
