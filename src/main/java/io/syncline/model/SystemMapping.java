package io.syncline.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * How one system holds the entity.
 *
 * @param key    path of the system's own id in its records ({@code id}, {@code Id}, {@code customer_no})
 * @param table  table name, for JDBC systems
 * @param fields field contracts, canonical field to system path
 * @param delete how deletions show in this system as a source, and how it takes them as a target
 */
@RegisterForReflection
public record SystemMapping(String key, String table, String resource, List<FieldMapping> fields, DeleteSpec delete) {

    public SystemMapping {
        fields = fields == null ? List.of() : fields;
    }
}
