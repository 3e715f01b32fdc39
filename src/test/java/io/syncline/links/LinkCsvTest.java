package io.syncline.links;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading an ID map import's rows: both shapes, their lines, and each malformed row named by line and column. */
class LinkCsvTest {

    private static List<LinkRow> rows(String csv) throws IOException {
        List<LinkRow> rows = new ArrayList<>();
        try (LinkCsv reader = new LinkCsv(new StringReader(csv))) {
            LinkRow row;
            while ((row = reader.next()) != null) {
                rows.add(row);
            }
        }
        return rows;
    }

    @Test
    void canonicalRowsInAnyColumnOrderWithTheirLines() throws IOException {
        assertThat(rows("system,system_id,entity,canonical_id\r\ncrm,c-1,contact,K-1\r\n\r\nbilling,\"b,\"\"2\",contact,K-2\r\n"))
                .containsExactly(new LinkRow(2, "contact", "K-1", "crm", "c-1", null, null),
                        new LinkRow(4, "contact", "K-2", "billing", "b,\"2", null, null));
    }

    @Test
    void pairRowsAndAQuotedCellOverTwoLinesCountsFromItsFirstLine() throws IOException {
        List<LinkRow> rows = rows("entity,system,system_id,other_system,other_system_id\n"
                + "contact,crm,\"c\n1\",billing,b-1\ncontact,crm,c-2,billing,b-2\n");
        assertThat(rows).extracting(LinkRow::line).containsExactly(2L, 4L);
        assertThat(rows.get(0).systemId()).isEqualTo("c\n1");
        assertThat(rows.get(1)).isEqualTo(new LinkRow(4, "contact", null, "crm", "c-2", "billing", "b-2"));
        assertThat(rows.get(1).isPair()).isTrue();
    }

    @Test
    void malformedRowsAreNamedByLineAndColumn() {
        assertThatThrownBy(() -> rows("")).isInstanceOf(MalformedLinkException.class).hasMessageContaining("Line 1")
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> rows("entity,canonical,system,system_id\n")).isInstanceOf(MalformedLinkException.class)
                .hasMessageContaining("Line 1, column canonical: 'canonical' is not a column");
        assertThatThrownBy(() -> rows("entity,canonical_id,system,system_id\ncontact,K-1,crm,c-1\ncontact,K-2,crm\n"))
                .isInstanceOf(MalformedLinkException.class).hasMessageContaining("Line 3: the row has 3 cells");
        assertThatThrownBy(() -> rows("entity,canonical_id,system,system_id\ncontact,K-1,crm,c-1\ncontact,K-2,,c-2\n"))
                .isInstanceOf(MalformedLinkException.class).hasMessageContaining("Line 3, column system: the cell is empty")
                .satisfies(e -> assertThat(((MalformedLinkException) e).column()).isEqualTo("system"));
        assertThatThrownBy(() -> rows("entity,canonical_id,system,system_id\ncontact," + "K".repeat(65) + ",crm,c-1\n"))
                .isInstanceOf(MalformedLinkException.class).hasMessageContaining("Line 2, column canonical_id: the cell is longer than 64");
        assertThatThrownBy(() -> rows("entity,canonical_id,system,system_id\ncontact,K-1,crm,\"c-1\n"))
                .isInstanceOf(MalformedLinkException.class).hasMessageContaining("Line 2");
    }
}
