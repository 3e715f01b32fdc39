package io.syncline.reconcile;

import io.syncline.model.CanonicalField;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A document's lines compare by value at every level, whichever way each side's numbers were read. */
class ComparableValuesTest {

    @Test
    void linesWithTheSameNumbersWrittenDifferentlyAreEqualAndAChangedQuantityIsNot() {
        List<Map<String, Object>> transformed = List.of(Map.of("lineNo", 1L, "quantity", new BigDecimal("2.00"), "product", "c-1"));
        List<Map<String, Object>> fromJsonColumn = List.of(Map.of("lineNo", 1, "quantity", 2.0, "product", "c-1"));
        List<Map<String, Object>> changed = List.of(Map.of("lineNo", 1, "quantity", 3, "product", "c-1"));

        assertThat(ComparableValues.normalise(transformed, CanonicalField.Type.LIST))
                .isEqualTo(ComparableValues.normalise(fromJsonColumn, CanonicalField.Type.LIST))
                .isNotEqualTo(ComparableValues.normalise(changed, CanonicalField.Type.LIST));
    }
}
