package io.syncline.connector.plaid;

import io.syncline.model.ModelFile;
import io.syncline.model.ModelProblem;
import io.syncline.testsupport.ModelProblems;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Start-up refuses a model that writes to Plaid, or polls it by a time, naming the file, the line and the fix. */
class PlaidRulesTest {

    private static final String SYSTEMS = """
            systems:
              plaid:
                type: plaid
                auth: {clientId: {env: PLAID_CLIENT_ID}, clientSecret: {env: PLAID_SECRET}, token: {env: PLAID_ACCESS_TOKEN}}
              billing:
                type: jdbc
                datasource: default
            """;

    private static List<ModelProblem> problems(String entities) {
        return ModelProblems.of(name -> name.startsWith("PLAID_") ? "set" : null,
                new ModelFile("file:bank.syncline.yaml", (SYSTEMS + entities).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aMappingThatWritesToPlaidIsRefusedAtItsLine() {
        List<ModelProblem> problems = problems("""
                entities:
                  payment:
                    key: id
                    master: billing
                    webhooks:
                      billing: /webhooks/billing/payments
                    fields:
                      id: {type: string}
                      amount: {type: decimal}
                    mappings:
                      billing:
                        key: external_id
                        table: payment
                        fields:
                          - {field: id, path: external_id}
                          - {field: amount, path: amount}
                      plaid:
                        key: transaction_id
                        resource: transactions
                        fields:
                          - {field: amount, path: amount}
                """);

        assertThat(problems).anySatisfy(problem -> {
            assertThat(problem.file()).isEqualTo("file:bank.syncline.yaml");
            assertThat(problem.line()).isPositive();
            assertThat(problem.toString()).contains("plaid").contains("write");
            assertThat(problem.fix()).isNotBlank();
        });
    }

    /** Plaid's transactions polled into billing's table, the poll and the resource as given. */
    private static String transactions(String poll, String resource) {
        return """
                entities:
                  banktransaction:
                    key: id
                    master: plaid
                    modifiedAt: readAt
                    polls:
                      plaid: %s
                    fields:
                      id: {type: string}
                      readAt: {type: timestamp}
                    mappings:
                      plaid:
                        key: transaction_id
                        resource: %s
                        delete: {flag: removed}
                        fields:
                          - {field: id, path: transaction_id, direction: in}
                          - {field: readAt, path: read_at, transforms: [timestamp], direction: in}
                      billing:
                        key: external_id
                        table: bank_transaction
                        fields:
                          - {field: id, path: external_id}
                """.formatted(poll, resource);
    }

    @Test
    void aPollByTimeAndAResourcePlaidHasNotAreRefused() {
        List<ModelProblem> problems = problems(transactions("{schedule: \"0/30 * * * * ?\", changes: {param: start_date}}",
                "/transactions/get"));

        assertThat(problems).extracting(ModelProblem::path).contains("entities.banktransaction.polls.plaid.changes",
                "entities.banktransaction.mappings.plaid.resource");
        assertThat(problems).allSatisfy(problem -> assertThat(problem.line()).isPositive());
    }

    @Test
    void theModelOfTheTestsIsValid() {
        assertThat(problems(transactions("{schedule: \"0/30 * * * * ?\"}", "transactions"))).isEmpty();
    }
}
