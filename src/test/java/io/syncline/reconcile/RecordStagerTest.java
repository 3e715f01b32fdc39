package io.syncline.reconcile;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.compiled.CompiledModel;
import io.syncline.compiled.SyncModelCompiler;
import io.syncline.mapping.CanonicalInstants;
import io.syncline.mapping.transform.TransformRegistry;
import io.syncline.model.ModelFile;
import io.syncline.testsupport.BuiltInSystemTypes;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a record is staged as: its compared values as the JSON Jackson would write (read back for
 * the keys that differ), hashed, so that equal values hash alike and values JSON tells apart do
 * not; and the fast reading of canonical timestamps agrees with java.time's.
 */
class RecordStagerTest {

    private static final String MODEL = """
            systems:
              erp: {type: jdbc, datasource: default}
              shop: {type: jdbc, datasource: default}
            entities:
              contact:
                key: id
                master: erp
                fields:
                  id: {type: string}
                  name: {type: string}
                  points: {type: integer}
                  vip: {type: boolean}
                  balance: {type: string}
                  seen: {type: string}
                  updatedAt: {type: timestamp}
                mappings:
                  erp:
                    key: id
                    table: contact
                    fields:
                      - {field: id, path: id}
                      - {field: name, path: name, transforms: [trim]}
                      - {field: points, path: points}
                      - {field: vip, path: vip}
                      - {field: balance, path: balance}
                      - {field: seen, path: seen}
                      - {field: updatedAt, path: updated_at, transforms: [timestamp]}
                  shop:
                    key: id
                    table: contact
                    fields:
                      - {field: id, path: id}
                      - {field: name, path: name}
                      - {field: points, path: points}
                      - {field: vip, path: vip}
                      - {field: balance, path: balance}
                      - {field: seen, path: seen}
                      - {field: updatedAt, path: updated_at}
            reconciliations:
              contacts:
                entity: contact
                sideA: erp
                sideB: shop
            """;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final CompiledModel model =
            new SyncModelCompiler(name -> null, TransformRegistry.builtIn(), (e, c, s) -> java.util.Optional.empty(), BuiltInSystemTypes.CATALOG)
                    .compile(List.of(new ModelFile("stager", MODEL.getBytes(StandardCharsets.UTF_8))));
    private final ReconciliationJob job = ReconciliationJob.of("contacts", model.model());
    private final RecordStager erp = new RecordStager(job, model.transformer(), "erp", MAPPER);
    private final RecordStager shop = new RecordStager(job, model.transformer(), "shop", MAPPER);

    private static Map<String, Object> row(String id, String name, Object points) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", id);
        row.put("name", name);
        row.put("points", points);
        row.put("vip", true);
        row.put("balance", null);
        row.put("seen", null);
        row.put("updated_at", "2024-03-01T10:30:00+01:00");
        return row;
    }

    private static StagedRecord stage(RecordStager stager, Map<String, Object> row) throws Exception {
        return stager.stage(List.of(row)).get(0);
    }

    @Test
    void theValuesAreTheJsonJacksonWritesWhateverTheTextHolds() throws Exception {
        String awkward = "Zoë \"the\" \\ 😀\ttab\nline\u0001ctl </script>";
        StagedRecord staged = stage(shop, row("c-1", awkward, 7));

        Map<String, Object> expected = new TreeMap<>(Map.of("id", "c-1", "name", awkward, "points", 7L, "vip", true,
                "updatedAt", "2024-03-01T09:30:00Z"));
        expected.put("balance", null);
        expected.put("seen", null);
        assertThat(new String(staged.values(), StandardCharsets.UTF_8)).isEqualTo(MAPPER.writeValueAsString(expected));
        assertThat(MAPPER.readValue(staged.values(), new TypeReference<Map<String, Object>>() {
        })).containsEntry("name", awkward).containsEntry("points", 7);
        assertThat(staged.key()).isEqualTo("c-1");
        assertThat(staged.recordAt()).isEqualTo(Instant.parse("2024-03-01T09:30:00Z"));
        assertThat(staged.versionHash()).hasSize(16);
    }

    @Test
    void textOfEveryKindIsWrittenAsJacksonWritesIt() throws Exception {
        // Plain ASCII is copied as it is; each of the others needs an escape or UTF-8.
        String[] pieces = {"a", "Z", "7", " ", "/", "<", "~", "\u007f", "\"", "\\", "\t", "\u0000", "\u001f", "é", "€", "😀"};
        Random random = new Random(7);
        for (int i = 0; i < 5_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) {
                text.append(pieces[random.nextInt(random.nextBoolean() ? 7 : pieces.length)]);
            }
            StagedRecord staged = stage(shop, row("c-" + i, text.toString(), 1));
            Map<String, Object> expected = new TreeMap<>(Map.of("id", "c-" + i, "name", text.toString(), "points", 1L,
                    "vip", true, "updatedAt", "2024-03-01T09:30:00Z"));
            expected.put("balance", null);
            expected.put("seen", null);
            assertThat(new String(staged.values(), StandardCharsets.UTF_8)).isEqualTo(MAPPER.writeValueAsString(expected));
        }
    }

    @Test
    void equalCanonicalValuesHashAlikeAndValuesJsonTellsApartDoNot() throws Exception {
        Map<String, Object> shopRow = row("c-1", "Ada", 7L);
        shopRow.put("updated_at", Timestamp.from(Instant.parse("2024-03-01T09:30:00Z")));
        byte[] hash = stage(shop, shopRow).versionHash();

        // the ERP's own spacing and zone, an Integer instead of a Long: the same canonical record
        assertThat(stage(erp, row("c-1", "  Ada ", 7)).versionHash()).isEqualTo(hash);
        Map<String, Object> text = row("c-1", "Ada", 7);
        text.put("balance", "12.50");
        Map<String, Object> number = row("c-1", "Ada", 7);
        number.put("balance", new BigDecimal("12.50"));
        Map<String, Object> timestamp = row("c-1", "Ada", 7);
        timestamp.put("seen", Timestamp.from(Instant.parse("2024-03-01T09:30:00.000001Z")));
        Map<String, Object> otherMicro = row("c-1", "Ada", 7);
        otherMicro.put("seen", Timestamp.from(Instant.parse("2024-03-01T09:30:00.000002Z")));
        List<byte[]> hashes = List.of(hash, stage(shop, row("c-1", "Ada", "7")).versionHash(),
                stage(shop, row("c-1", "Ada", null)).versionHash(), stage(shop, text).versionHash(),
                stage(shop, number).versionHash(), stage(shop, timestamp).versionHash(), stage(shop, otherMicro).versionHash());
        for (int i = 0; i < hashes.size(); i++) {
            for (int j = i + 1; j < hashes.size(); j++) {
                assertThat(Arrays.equals(hashes.get(i), hashes.get(j))).as("hash %d and %d", i, j).isFalse();
            }
        }
    }

    @Test
    void aNestedValueIsWrittenWithSortedKeysSoItsOrderDoesNotMakeADifference() throws Exception {
        Map<String, Object> one = row("c-1", "Ada", 7);
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("b", 2);
        nested.put("a", 1);
        one.put("balance", nested);
        Map<String, Object> other = row("c-1", "Ada", 7);
        other.put("balance", new LinkedHashMap<>(Map.of("a", 1, "b", 2)));

        assertThat(stage(shop, one).versionHash()).isEqualTo(stage(shop, other).versionHash());
        assertThat(new String(stage(shop, one).values(), StandardCharsets.UTF_8)).contains("\"balance\":{\"a\":1,\"b\":2}");
    }

    @Test
    void canonicalTimestampsAreReadAsJavaTimeReadsThemAndAnythingElseIsLeftToIt() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong() % 253_402_300_799L, random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000));
            if (instant.getEpochSecond() < -62_167_219_200L) {
                continue;
            }
            String text = instant.toString();
            assertThat(CanonicalInstants.read(text)).as(text).isEqualTo(instant);
            assertThat(ComparableValues.timestamp(text, instant)).isEqualTo(text);
        }
        for (String text : List.of("2024-02-29T10:00:00Z", "2023-02-29T10:00:00Z", "2024-04-31T00:00:00Z", "2024-03-01T24:00:00Z",
                "2024-03-01T23:59:60Z", "2024-03-01T10:30Z", "2024-03-01T10:30:00.Z", "2024-03-01T10:30:00.1234567891Z",
                "2024-03-01T10:30:00.5Z", "2024-03-01t10:30:00z", "2024-03-01T10:30:00+00:00", "+12024-03-01T10:30:00Z",
                "2024-3-01T10:30:00Z", "２024-03-01T10:30:00Z", "0000-01-01T00:00:00Z")) {
            Instant javaTime;
            try {
                javaTime = OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                javaTime = null;
            }
            Instant fast = CanonicalInstants.read(text);
            if (fast != null) {
                assertThat(fast).as(text).isEqualTo(javaTime);
            }
            assertThat(ComparableValues.toInstant(text)).as(text).isEqualTo(javaTime);
        }
    }
}
