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
    void aNumberReadAsTextIsTheSameNumberAndTextThatIsNoNumberStaysText() {
        assertThat(ComparableValues.normalise("12", CanonicalField.Type.INTEGER)).isEqualTo(ComparableValues.normalise(12, CanonicalField.Type.INTEGER));
        assertThat(ComparableValues.normalise(" -3 ", CanonicalField.Type.INTEGER)).isEqualTo(-3L);
        assertThat(ComparableValues.normalise("12.50", CanonicalField.Type.DECIMAL))
                .isEqualTo(ComparableValues.normalise(new BigDecimal("12.5"), CanonicalField.Type.DECIMAL));
        assertThat(ComparableValues.normalise("12", CanonicalField.Type.INTEGER))
                .isNotEqualTo(ComparableValues.normalise(13, CanonicalField.Type.INTEGER));
        assertThat(ComparableValues.normalise("twelve", CanonicalField.Type.INTEGER)).isEqualTo("twelve");
        assertThat(ComparableValues.normalise("1e3", CanonicalField.Type.DECIMAL)).isEqualTo("1e3");
    }

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
