package io.syncline.driftfix;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** How a proposal reads a payload's fields and compares their values with the vanished field's. */
class RenameProposalsTest {

    @Test
    void aPayloadsFieldsAreItsValuesByPathListsIncluded() {
        Map<String, Object> leaves = new LinkedHashMap<>();
        RenameProposals.flatten("", Map.of("id", "c-1", "contact", Map.of("mobile", "+44", "tags", List.of("a"))), leaves);

        assertThat(leaves).containsOnlyKeys("id", "contact.mobile", "contact.tags").containsEntry("contact.mobile", "+44");
    }

    @Test
    void equalValuesMatchANumberAndItsDigitsAlikeANullNever() {
        assertThat(RenameProposals.same("+44 20", "+44 20")).isTrue();
        assertThat(RenameProposals.same("12", 12)).isTrue();
        assertThat(RenameProposals.same(12, "12")).isTrue();
        assertThat(RenameProposals.same("12", "012")).isFalse();
        assertThat(RenameProposals.same("true", true)).isFalse();
        assertThat(RenameProposals.same(null, "x")).isFalse();
    }
}
