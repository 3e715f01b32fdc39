package io.syncline.text;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CsvTest {

    @Test
    void everyCellIsQuotedWithItsQuotesDoubledAndNullIsEmpty() {
        assertThat(Csv.row("a", "say \"hi\"", null, 42, "two\r\nlines"))
                .isEqualTo("\"a\",\"say \"\"hi\"\"\",,\"42\",\"two\r\nlines\"\r\n");
    }

    @Test
    void aCellThatASpreadsheetWouldRunAsAFormulaIsDefused() {
        assertThat(Csv.row("=1+1", "+44 20", "-x", "@SUM(A1)", "a=b"))
                .isEqualTo("\"'=1+1\",\"'+44 20\",\"'-x\",\"'@SUM(A1)\",\"a=b\"\r\n");
    }

    @Test
    void aHeaderIsItsNamesUnquoted() {
        assertThat(Csv.header("id", "entity")).isEqualTo("id,entity\r\n");
    }
}
