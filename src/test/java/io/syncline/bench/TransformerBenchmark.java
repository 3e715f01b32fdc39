package io.syncline.bench;

import io.syncline.mapping.CanonicalRecord;
import io.syncline.mapping.RecordTransformer;
import io.syncline.mapping.transform.TransformRegistry;
import io.syncline.model.ModelFile;
import io.syncline.sync.SyncModelCompiler;
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
 * its version hash) -> ERP row. Run with {@code bench/transformer.sh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class TransformerBenchmark {

    private RecordTransformer transformer;
    private Map<String, Object> crmRecord;

    @Setup
    public void setUp() throws IOException {
        try (InputStream in = TransformerBenchmark.class.getResourceAsStream("/bench/twenty-fields.syncline.yaml")) {
            transformer = new SyncModelCompiler(name -> null, TransformRegistry.builtIn(), (e, c, s) -> Optional.empty())
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
}
