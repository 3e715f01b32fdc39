package io.syncline.connector.endpoint;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** A CSV file's rows by Camel's CSV data format: good rows with their lines, malformed ones apart, each naming its line. */
class CsvRowsTest {

    private static CsvRows.Read read(String text) throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            return CsvRows.read(new DefaultExchange(camel), text.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void rowsWithMoreOrFewerValuesThanTheHeaderAreMalformedAndTheOthersRead() throws Exception {
        CsvRows.Read read = read("number,name\nA-1,Acme\nA-2,Globex,extra\nA-3\n\"A-4\",\"Initech\nWest\"\nA-5,Umbrella\n");

        assertThat(read.rows()).extracting(CsvRows.Row::line, CsvRows.Row::record).containsExactly(
                tuple(2, Map.of("number", "A-1", "name", "Acme")),
                tuple(5, Map.of("number", "A-4", "name", "Initech\nWest")),
                // a quoted value over two lines: the next row starts on line 7
                tuple(7, Map.of("number", "A-5", "name", "Umbrella")));
        assertThat(read.malformed()).extracting(CsvRows.Malformed::line, CsvRows.Malformed::text).containsExactly(
                tuple(3, "A-2,Globex,extra"), tuple(4, "A-3"));
        assertThat(read.malformed().get(0).reason()).isEqualTo("line 3 has 3 values; the header names 2 columns");
    }

    @Test
    void aQuoteNeverClosedMakesTheRestOfTheFileOneMalformedPartAfterTheGoodRows() throws Exception {
        CsvRows.Read read = read("number,name\nA-1,Acme\nA-2,\"Globex\nA-3,Initech\n");

        assertThat(read.rows()).extracting(CsvRows.Row::line).containsExactly(2);
        assertThat(read.malformed()).singleElement().satisfies(part -> {
            assertThat(part.line()).isEqualTo(3);
            assertThat(part.text()).isEqualTo("A-2,\"Globex\nA-3,Initech");
            assertThat(part.reason()).startsWith("line 3 and on cannot be read as CSV");
        });
    }

    @Test
    void aFileWithoutAReadableHeaderRowIsRefusedWhole() {
        assertThatThrownBy(() -> read("\"number,name\n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("header row");
    }
}
