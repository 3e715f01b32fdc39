package io.syncline.mapping;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Paths into nested records, an element of a list named by its index ({@code Line[0].Amount}). */
class FieldPathsTest {

    @Test
    void anIndexedPathWritesTheListAsFarAsItsElementAndReadsItBack() {
        Map<String, Object> invoice = new LinkedHashMap<>();
        FieldPaths.set(invoice, "CustomerRef.value", "58");
        FieldPaths.set(invoice, "Line[0].Amount", new BigDecimal("1250.50"));
        FieldPaths.set(invoice, "Line[0].SalesItemLineDetail.ItemRef.value", "7");
        FieldPaths.set(invoice, "Line[1].DetailType", "SubTotalLineDetail");

        assertThat(invoice).isEqualTo(Map.of("CustomerRef", Map.of("value", "58"), "Line", List.of(
                Map.of("Amount", new BigDecimal("1250.50"), "SalesItemLineDetail", Map.of("ItemRef", Map.of("value", "7"))),
                Map.of("DetailType", "SubTotalLineDetail"))));
        assertThat(FieldPaths.get(invoice, "Line[0].Amount")).isEqualTo(new BigDecimal("1250.50"));
        assertThat(FieldPaths.get(invoice, "Line[0].SalesItemLineDetail.ItemRef.value")).isEqualTo("7");
        assertThat(FieldPaths.has(invoice, "Line[1].DetailType")).isTrue();
        // an element the list does not have, or a list where an object is expected, is nothing
        assertThat(FieldPaths.get(invoice, "Line[2].Amount")).isNull();
        assertThat(FieldPaths.has(invoice, "Line[2]")).isFalse();
        assertThat(FieldPaths.get(invoice, "Line.Amount")).isNull();
        assertThat(FieldPaths.get(invoice, "CustomerRef[0]")).isNull();
    }

    @Test
    void aBracketThatIsNoIndexIsPartOfTheName() {
        assertThat(FieldPaths.steps("Line[0].Amount")).containsExactly("Line", "[0]", "Amount");
        assertThat(FieldPaths.steps("grid[1][2]")).containsExactly("grid", "[1]", "[2]");
        assertThat(FieldPaths.steps("tags[x].name")).containsExactly("tags[x]", "name");
        assertThat(FieldPaths.indexed("address.city")).isFalse();
        assertThat(FieldPaths.indexed("Line[0].Amount")).isTrue();
        Map<String, Object> record = new LinkedHashMap<>();
        FieldPaths.set(record, "tags[x]", "kept");
        assertThat(record).isEqualTo(Map.of("tags[x]", "kept"));
    }
}
