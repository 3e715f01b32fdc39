package io.syncline.connector.spi;

import java.util.Optional;

/** The SQL databases of the model's systems, by system name: empty for a system that is none. */
@FunctionalInterface
public interface SqlDatabases {

    Optional<SqlDatabase> of(String system);
}
