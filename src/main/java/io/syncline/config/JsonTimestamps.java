package io.syncline.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.sql.Timestamp;

/**
 * A JDBC timestamp read from a table (a {@code jdbc:} route's result) is written as an ISO-8601
 * instant in UTC, {@code 2024-03-01T09:30:00Z}, as every time Syncline answers with, whichever
 * database it came from. Jackson's default for {@link java.util.Date} writes
 * {@code 2024-03-01T09:30:00.000+00:00}.
 */
@Singleton
public class JsonTimestamps implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("syncline-jdbc-timestamps").addSerializer(Timestamp.class, new InstantText()));
    }

    private static final class InstantText extends StdSerializer<Timestamp> {

        InstantText() {
            super(Timestamp.class);
        }

        @Override
        public void serialize(Timestamp value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            generator.writeString(value.toInstant().toString());
        }
    }
}
