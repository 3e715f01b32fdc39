package io.syncline.rules;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Conditions as the grammar reads them, met or not by a change's new and previous values. */
class RuleConditionTest {

    private static boolean met(String condition, Map<String, Object> current, Map<String, Object> previous) {
        return RuleParser.parse(condition).test(new RuleCondition.Change(current, previous));
    }

    private static boolean met(String condition, Map<String, Object> current) {
        return met(condition, current, Map.of());
    }

    @Test
    void comparesNumbersByValueWhateverTheirForm() {
        assertThat(met("amount > 10000", Map.of("amount", new BigDecimal("10000.01")))).isTrue();
        assertThat(met("amount > 10000", Map.of("amount", 10000L))).isFalse();
        assertThat(met("amount >= 10000", Map.of("amount", "10000.00"))).isTrue();
        assertThat(met("amount == 10000", Map.of("amount", new BigDecimal("10000.00")))).isTrue();
        assertThat(met("quantity < reorderPoint", Map.of("quantity", 4, "reorderPoint", 5))).isTrue();
        assertThat(met("quantity < reorderPoint", Map.of("quantity", 5, "reorderPoint", 5))).isFalse();
        assertThat(met("amount <= -0.5", Map.of("amount", -1))).isTrue();
    }

    @Test
    void aMissingValueMeetsNoOrderingButIsNotEqualToAText() {
        assertThat(met("amount > 10000", Map.of())).isFalse();
        assertThat(met("amount < 10000", Map.of())).isFalse();
        assertThat(met("status != 'blocked'", Map.of())).isTrue();
        assertThat(met("status == null", Map.of())).isTrue();
        assertThat(met("status == 'blocked'", Map.of("status", "blocked"))).isTrue();
        assertThat(met("status == \"blocked\"", Map.of("status", "open"))).isFalse();
        assertThat(met("active == true", Map.of("active", true))).isTrue();
    }

    @Test
    void presenceTreatsBlankAsMissing() {
        Map<String, Object> blank = new HashMap<>();
        blank.put("email", " ");
        assertThat(met("email is missing", blank)).isTrue();
        assertThat(met("email is present", Map.of("email", "a@b.c"))).isTrue();
        assertThat(met("email is present", Map.of())).isFalse();
    }

    @Test
    void aDecreaseByMoreThanAShareNeedsThePreviousValue() {
        String rule = "quantity decreases by more than 50%";
        assertThat(met(rule, Map.of("quantity", 40), Map.of("quantity", 100))).isTrue();
        assertThat(met(rule, Map.of("quantity", 50), Map.of("quantity", 100))).isFalse();
        assertThat(met(rule, Map.of("quantity", 49), Map.of("quantity", 100))).isTrue();
        assertThat(met(rule, Map.of("quantity", 120), Map.of("quantity", 100))).isFalse();
        assertThat(met(rule, Map.of("quantity", 0), Map.of("quantity", 0))).isFalse();
        assertThat(met(rule, Map.of("quantity", 10), Map.of())).as("no previous value: no change").isFalse();
        assertThat(met("quantity decreases", Map.of("quantity", 99), Map.of("quantity", 100))).isTrue();
        assertThat(met("amount increases by more than 1000", Map.of("amount", 2001), Map.of("amount", 1000))).isTrue();
        assertThat(met("amount increases by more than 1000", Map.of("amount", 2000), Map.of("amount", 1000))).isFalse();
        assertThat(met("previous.amount > amount", Map.of("amount", 1), Map.of("amount", 2))).isTrue();
    }

    @Test
    void changedComparesWithTheKnownPreviousValue() {
        assertThat(met("status changed", Map.of("status", "b"), Map.of("status", "a"))).isTrue();
        assertThat(met("status changed", Map.of("status", "a"), Map.of("status", "a"))).isFalse();
        assertThat(met("status changed", Map.of("status", "a"), Map.of())).isFalse();
    }

    @Test
    void andBindsTighterThanOrAndNotAndParenthesesGroup() {
        Map<String, Object> record = Map.of("a", 1, "b", 2);
        assertThat(met("a == 1 or a == 2 and b == 3", record)).isTrue();
        assertThat(met("(a == 1 or a == 2) and b == 3", record)).isFalse();
        assertThat(met("not a == 1", record)).isFalse();
        assertThat(met("not (a == 2 or b == 3)", record)).isTrue();
    }

    @Test
    void whatIsNotTheGrammarIsRefusedWithItsPosition() {
        assertThatThrownBy(() -> RuleParser.parse("amount = 1")).isInstanceOf(RuleParser.SyntaxException.class)
                .hasMessageContaining("'=' is not part of a condition");
        assertThatThrownBy(() -> RuleParser.parse("System.exit(1)")).isInstanceOf(RuleParser.SyntaxException.class)
                .satisfies(e -> assertThat(((RuleParser.SyntaxException) e).position()).isEqualTo(7));
        assertThatThrownBy(() -> RuleParser.parse("amount > 1 amount < 2")).hasMessageContaining("join conditions with 'and' or 'or'");
        assertThatThrownBy(() -> RuleParser.parse("status == 'open")).hasMessageContaining("never closed");
        assertThatThrownBy(() -> RuleParser.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> RuleParser.parse("and > 1")).hasMessageContaining("expected a field");
    }

    @Test
    void sameReadsItsFieldsWindowAndTimeFieldAndIsMetOnlyWhereAnEarlierRecordRepeatsIt() {
        RuleCondition condition = RuleParser.parse("same (amount, customer) within 24h of date and amount > 0");
        RuleCondition.Same same = condition.sames().get(0);
        assertThat(same.fields()).containsExactly("amount", "customer");
        assertThat(same.window()).isEqualTo(java.time.Duration.ofHours(24));
        assertThat(same.over()).isEqualTo("date");
        Map<String, Object> values = Map.of("amount", 5, "customer", "c-1", "date", "2026-11-29");
        assertThat(condition.test(new RuleCondition.Change(values, Map.of()))).isFalse();
        assertThat(condition.test(new RuleCondition.Change(values, Map.of(), java.util.Set.of(same)))).isTrue();
        assertThat(RuleParser.parse("not same (email) within 30m").sames().get(0))
                .isEqualTo(new RuleCondition.Same(java.util.List.of("email"), java.time.Duration.ofMinutes(30), null));
        assertThat(RuleParser.parse("same (a, b, c) within 7d").sames().get(0).window()).isEqualTo(java.time.Duration.ofDays(7));
    }

    @Test
    void aSameThatIsNotTheGrammarIsRefusedWithItsPosition() {
        assertThatThrownBy(() -> RuleParser.parse("same amount within 24h")).hasMessageContaining("expected '(' and the fields");
        assertThatThrownBy(() -> RuleParser.parse("same (amount customer) within 24h")).hasMessageContaining("or ')'");
        assertThatThrownBy(() -> RuleParser.parse("same (amount) 24h")).hasMessageContaining("expected 'within'");
        assertThatThrownBy(() -> RuleParser.parse("same (amount) within 24 h")).hasMessageContaining("a unit right after 24");
        assertThatThrownBy(() -> RuleParser.parse("same (amount) within 24w")).hasMessageContaining("(s, m, h or d: 24h)");
        assertThatThrownBy(() -> RuleParser.parse("same (amount) within 1.5h")).hasMessageContaining("a whole number");
        assertThatThrownBy(() -> RuleParser.parse("same (amount) within 0h")).hasMessageContaining("longer than nothing");
        assertThatThrownBy(() -> RuleParser.parse("same (amount) within 1h of")).hasMessageContaining("a date or timestamp field");
    }

    @Test
    void aRepeatMarkDigestsValuesAsTheConditionComparesThem() {
        java.util.List<String> fields = java.util.List.of("amount", "customer");
        assertThat(RepeatMarks.digest(fields, Map.of("amount", new BigDecimal("250.00"), "customer", "c-1")))
                .isEqualTo(RepeatMarks.digest(fields, Map.of("amount", 250, "customer", "c-1")))
                .isNotEqualTo(RepeatMarks.digest(fields, Map.of("amount", 250, "customer", "c-2"))).hasSize(64);
        assertThat(RepeatMarks.digest(fields, Map.of("amount", 250))).isNull();
        assertThat(RepeatMarks.instant("2026-11-29")).isEqualTo(java.time.Instant.parse("2026-11-29T00:00:00Z"));
        assertThat(RepeatMarks.instant("2026-11-29T10:00:00Z")).isEqualTo(java.time.Instant.parse("2026-11-29T10:00:00Z"));
        assertThat(RepeatMarks.instant("2026-11-29T11:00:00+01:00")).isEqualTo(java.time.Instant.parse("2026-11-29T10:00:00Z"));
        assertThat(RepeatMarks.instant("not a date")).isNull();
    }
}
