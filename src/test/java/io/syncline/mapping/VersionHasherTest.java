package io.syncline.mapping;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Version hashes are stored (record state, idempotency keys, echo fingerprints): the golden
 * values below were computed by the first implementation and must never change, however the
 * hasher is made faster.
 */
class VersionHasherTest {

    @Test
    void scalarsOfEveryKindHashAsTheyAlwaysHave() {
        Map<String, Object> flat = new LinkedHashMap<>();
        flat.put("email", "ada@example.com");
        flat.put("employees", 42);
        flat.put("big", 9_000_000_000L);
        flat.put("creditLimit", new BigDecimal("25000.50"));
        flat.put("vip", true);
        flat.put("fax", null);
        flat.put("updatedAt", "2024-03-01T09:30:00Z");
        flat.put("birthday", LocalDate.of(1815, 12, 10));
        flat.put("seen", Instant.parse("2024-03-01T09:30:00.123Z"));
        flat.put("", "");
        assertThat(VersionHasher.hash(flat)).isEqualTo("eda75547f9b462ae2856ea734d0cd1975bd0158de7882bf4c52ac5cee7e2a768");
        assertThat(VersionHasher.hash(flat, VersionHasher.KeyOrder.of(flat.keySet())))
                .isEqualTo("eda75547f9b462ae2856ea734d0cd1975bd0158de7882bf4c52ac5cee7e2a768");
    }

    @Test
    void textBeyondAsciiHashesAsUtf8() {
        Map<String, Object> intl = new LinkedHashMap<>();
        intl.put("name", "Zoë Ångström");
        intl.put("city", "東京");
        intl.put("note", "ok 👍");
        intl.put("ünïcode key", "x");
        assertThat(VersionHasher.hash(intl)).isEqualTo("2f8e5c0959d23e5d3bde9ec46e2c450f1e511fc649a27bc8facf362f32d5b1b4");
        assertThat(VersionHasher.hash(intl, VersionHasher.KeyOrder.of(intl.keySet())))
                .isEqualTo("2f8e5c0959d23e5d3bde9ec46e2c450f1e511fc649a27bc8facf362f32d5b1b4");
    }

    @Test
    void nestedMapsAndListsAndTheEmptyRecord() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("address", new LinkedHashMap<>(Map.of("street", "12 St James's Square", "city", "London")));
        nested.put("tags", List.of("a", 1, new BigDecimal("1E+3"), List.of()));
        nested.put("empty", Map.of());
        assertThat(VersionHasher.hash(nested)).isEqualTo("50ea25238aa9488551684102e93c7bd8f08ec98e4373d3f0067c160d189317da");
        assertThat(VersionHasher.hash(new TreeMap<>(nested))).isEqualTo(VersionHasher.hash(nested));
        assertThat(VersionHasher.hash(new LinkedHashMap<>()))
                .isEqualTo("8424d6438c96c96c9a3593b278cfbaa530bb030e4c5135e7e6477483b34af49a");
    }

    @Test
    void aKeyOrderGivesTheSameHashForAnySubsetAndFallsBackForKeysItDoesNotKnow() {
        Random random = new Random(42);
        List<String> names = List.of("a", "b", "email", "phone", "Zeta", "zeta", "ä", "address.city", "x1", "x10");
        VersionHasher.KeyOrder order = VersionHasher.KeyOrder.of(names);
        for (int n = 0; n < 2_000; n++) {
            List<String> keys = new ArrayList<>(names);
            if (random.nextInt(4) == 0) {
                keys.add("unknown" + random.nextInt(3));
            }
            Map<String, Object> record = new LinkedHashMap<>();
            for (String key : keys) {
                if (random.nextBoolean()) {
                    record.put(key, random.nextInt(5) == 0 ? null : "v" + random.nextInt(100) + (random.nextBoolean() ? "é" : ""));
                }
            }
            assertThat(VersionHasher.hash(record, order)).as("record %s", record).isEqualTo(VersionHasher.hash(record));
        }
    }

    @Test
    void aRecordLargerThanTheKeptBufferHashesAndTheNextOneStillDoes() {
        Map<String, Object> large = Map.of("notes", "x".repeat(200_000));
        Map<String, Object> small = Map.of("notes", "x");
        String smallHash = VersionHasher.hash(small);
        assertThat(VersionHasher.hash(large)).hasSize(64).isNotEqualTo(smallHash);
        assertThat(VersionHasher.hash(small)).isEqualTo(smallHash);
    }
}
