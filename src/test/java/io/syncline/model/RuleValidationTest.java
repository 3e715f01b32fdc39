package io.syncline.model;

import io.syncline.testsupport.ModelProblems;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** An entity's rules are checked at start-up like the rest of the model: each problem with its file, line and fix. */
class RuleValidationTest {

    private static final String MODEL = """
            systems:
              shop: {type: jdbc, datasource: default}
              erp: {type: jdbc, datasource: default}
            entities:
              order:
                key: id
                master: shop
                webhooks: {shop: /webhooks/shop/orders}
                fields:
                  id: {type: string}
                  amount: {type: decimal}
                  quantity: {type: integer}
                  reorderPoint: {type: integer}
                  status: {type: string}
                  tags: {type: string, many: true}
                  placedAt: {type: timestamp}
                mappings:
                  shop:
                    key: id
                    table: shop_order
                    fields: [{field: id, path: id}, {field: amount, path: amount}, {field: quantity, path: qty},
                             {field: reorderPoint, path: reorder_point}, {field: status, path: status}, {field: tags, path: tags, json: true}]
                  erp:
                    key: id
                    table: erp_order
                    fields: [{field: id, path: id}, {field: amount, path: amount}, {field: quantity, path: qty},
                             {field: reorderPoint, path: reorder_point}, {field: status, path: status}, {field: tags, path: tags, json: true}]
                rules:
            """;

    private static List<ModelProblem> problems(String rules) {
        return ModelProblems.of(name -> null, new ModelFile("file:rules.syncline.yaml",
                (MODEL + rules).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void soundRulesCompile() {
        assertThat(problems("""
                      - {name: bigAmount, when: amount > 10000, action: hold}
                      - {name: stockDrop, when: quantity decreases by more than 50%, action: hold, targets: [erp]}
                      - {name: lowStock, when: quantity < reorderPoint and quantity is present, action: alert}
                      - name: blocked
                        when: status == 'blocked' or (not status is present and previous.amount >= 0.5)
                        action: reject
                      - {name: bigRise, when: amount increases by more than 1000 or status changed, action: alert}
                      - {name: twice, when: 'same (amount, status) within 24h of placedAt', action: hold}
                      - {name: twiceSeen, when: 'same (amount, status, quantity) within 30m and amount > 0', action: reject}
                """)).isEmpty();
    }

    @Test
    void aSameConditionNamesDeclaredFieldsAndMeasuresItsWindowOnATime() {
        List<String> texts = problems("""
                      - {name: byStatus, when: same (amount) within 24h of status, action: hold}
                      - {name: unknown, when: 'same (amount, custmer) within 24h', action: hold}
                      - {name: listed, when: same (tags) within 1d, action: hold}
                """).stream().map(ModelProblem::toString).toList();

        assertThat(texts).hasSize(3);
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("'of status' measures the window on a date or a timestamp,"
                + " and status is of type string").contains("name a field of type date or timestamp after 'of'"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("'custmer' is not a declared field"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("'tags' is a list"));
    }

    @Test
    void eachBadRuleIsNamedAtItsLineWithItsFix() {
        List<ModelProblem> problems = problems("""
                      - {name: bigAmount, when: amount >> 10000, action: hold}
                      - {name: bigAmount, when: amout > 10000, action: hold}
                      - {name: wordy, when: status > 3, action: alert}
                      - {name: drop, when: quantity decreases by more than half, action: hold}
                      - {name: sends, when: amount > 1, action: email}
                      - {name: elsewhere, when: amount > 1, action: alert, targets: [crm]}
                      - {name: listed, when: tags == 'vip', action: alert}
                      - {when: amount > 1, action: hold}
                      - {name: open, when: (amount > 1, action: hold}
                      - {name: textual, when: amount > 'many', action: hold}
                      - {name: nothing, action: hold}
                """);

        assertThat(problems).allSatisfy(problem -> {
            assertThat(problem.file()).isEqualTo("file:rules.syncline.yaml");
            assertThat(problem.line()).isPositive();
            assertThat(problem.fix()).isNotBlank();
        });
        assertThat(problems).extracting(ModelProblem::line, ModelProblem::path).contains(
                tuple(29, "entities.order.rules[0].when"),
                tuple(30, "entities.order.rules[1].name"),
                tuple(30, "entities.order.rules[1].when"),
                tuple(31, "entities.order.rules[2].when"),
                tuple(32, "entities.order.rules[3].when"),
                tuple(33, "entities.order.rules[4].action"),
                tuple(34, "entities.order.rules[5].targets"),
                tuple(35, "entities.order.rules[6].when"),
                tuple(36, "entities.order.rules[7]"),
                tuple(37, "entities.order.rules[8].when"),
                tuple(38, "entities.order.rules[9].when"),
                tuple(39, "entities.order.rules[10]"));
        List<String> texts = problems.stream().map(ModelProblem::toString).toList();
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("'amount >> 10000' does not parse at character 9")
                .contains("expected a field, a number or a quoted text, found '>'"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("rule 'bigAmount' is declared twice"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("'amout' is not a declared field").contains("did you mean 'amount'"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("'>' compares numbers, and status is of type string")
                .contains("declare status type: integer or decimal"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("expected a positive number after 'by more than', found 'half'"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("unknown action 'email'"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("'crm' is not a system order is mapped to"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("'tags' is a list"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("the rule has no name"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("expected a closing ')', found the end"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("'>' compares numbers, and 'many' is not one"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("the rule has no condition"));
    }
}
