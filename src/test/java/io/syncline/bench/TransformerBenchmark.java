package io.syncline.bench;

import io.syncline.compiled.SyncModelCompiler;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.mapping.RecordTransformer;
import io.syncline.mapping.transform.FieldTransform;
import io.syncline.mapping.transform.TransformContext;
import io.syncline.mapping.transform.TransformRegistry;
import io.syncline.model.ModelFile;
import io.syncline.testsupport.BuiltInSystemTypes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The transformer stage on a 20-field record, one thread: CRM record -> canonical record (with
 * its version hash) -> ERP row; the same record again and again, and 200,000 distinct records.
 * Run with {@code bench/transformer.sh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class TransformerBenchmark {

    /** More distinct records than the phone memo holds, so that most phone parses are real. */
    private static final int DISTINCT_RECORDS = 200_000;

    private RecordTransformer transformer;
    private Map<String, Object> crmRecord;
    private List<Map<String, Object>> distinctRecords;
    private int next;

    @Setup
    public void setUp() throws IOException {
        try (InputStream in = TransformerBenchmark.class.getResourceAsStream("/bench/twenty-fields.syncline.yaml")) {
            transformer = new SyncModelCompiler(name -> null, TransformRegistry.builtIn(), (e, c, s) -> Optional.empty(), BuiltInSystemTypes.CATALOG)
                    .compile(List.of(new ModelFile("bench/twenty-fields.syncline.yaml", in.readAllBytes())))
                    .transformer();
        }
        crmRecord = new LinkedHashMap<>();
        crmRecord.put("id", "c-1001");
        crmRecord.put("email", "  Ada.Lovelace@Example.COM ");
        crmRecord.put("name", Map.of("first", " Ada ", "last", "Lovelace "));
        crmRecord.put("phone", "020 7946 0018");
        crmRecord.put("mobile", "+44 7911 123456");
        crmRecord.put("company", Map.of("name", " Analytical Engines Ltd"));
        crmRecord.put("address", Map.of("street", "12 St James's Square ", "city", "London", "postcode", "sw1y 4jh",
                "country", "gb"));
        crmRecord.put("lifecycleStage", "customer");
        crmRecord.put("tier", "GOLD");
        crmRecord.put("creditLimit", "25000.5");
        crmRecord.put("employees", "42");
        crmRecord.put("vip", "yes");
        crmRecord.put("birthday", "10/12/1815");
        crmRecord.put("createdAt", "2024-03-01T10:30:00+01:00");
        crmRecord.put("updatedAt", "01/03/2024 10:30");

        distinctRecords = new java.util.ArrayList<>(DISTINCT_RECORDS);
        for (int i = 0; i < DISTINCT_RECORDS; i++) {
            Map<String, Object> record = new LinkedHashMap<>(crmRecord);
            record.put("id", "c-" + i);
            record.put("email", "Customer." + i + "@Example.COM");
            record.put("phone", String.format("020 7946 %04d", i % 10_000));
            record.put("mobile", String.format("+44 7911 %06d", i));
            record.put("employees", Integer.toString(i % 5_000));
            record.put("updatedAt", String.format("%02d/03/2024 %02d:%02d", 1 + i % 28, i % 24, i % 60));
            distinctRecords.add(record);
        }
    }

    /** Every call a different record: the phone memo mostly misses, as on a first reconciliation run. */
    @Benchmark
    public Map<String, Object> distinctRecordsCrmToCanonicalToErp() {
        Map<String, Object> record = distinctRecords.get(next);
        next = next + 1 == DISTINCT_RECORDS ? 0 : next + 1;
        CanonicalRecord canonical = transformer.toCanonical("customer", "crm", record);
        return transformer.toSystem("customer", "erp", canonical.fields());
    }

    @Benchmark
    public Map<String, Object> crmToCanonicalToErp() {
        CanonicalRecord canonical = transformer.toCanonical("customer", "crm", crmRecord);
        return transformer.toSystem("customer", "erp", canonical.fields());
    }

    @Benchmark
    public CanonicalRecord crmToCanonical() {
        return transformer.toCanonical("customer", "crm", crmRecord);
    }

    /** Every call a different GB national number, as side A of a full reconciliation pull: one-off values. */
    @Benchmark
    public Object distinctPhonesToCanonical(Phones phones) {
        String text = phones.distinct[phones.next];
        phones.next = phones.next + 1 == phones.distinct.length ? 0 : phones.next + 1;
        return phones.gb.toCanonical(text, phones.context);
    }

    /** The same number again and again, as the real-time path reads a contact's phone with each update. */
    @Benchmark
    public Object samePhoneToCanonical(Phones phones) {
        return phones.gb.toCanonical("020 7946 0018", phones.context);
    }

    /** One {@code phone} transform alone, and a million distinct numbers: far more than its memo holds. */
    @State(Scope.Thread)
    public static class Phones {

        private static final int DISTINCT = 1_000_000;

        FieldTransform gb;
        TransformContext context;
        String[] distinct;
        int next;

        @Setup
        public void setUp() {
            gb = TransformRegistry.builtIn().create("phone", Map.of("region", "GB"));
            context = new TransformContext("customer", "crm", "phone", Map.of());
            distinct = new String[DISTINCT];
            for (int i = 0; i < DISTINCT; i++) {
                distinct[i] = String.format("020 79%06d", i);
            }
        }
    }
}
