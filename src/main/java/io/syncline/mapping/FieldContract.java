package io.syncline.mapping;

import java.util.List;

/**
 * How one system holds one entity, compiled: the path of the system's own id, its table (JDBC),
 * and the field contracts with computed fields last, so that expressions see every input.
 */
public record FieldContract(String entity, String system, String keyPath, String table, List<CompiledField> fields) {
}
