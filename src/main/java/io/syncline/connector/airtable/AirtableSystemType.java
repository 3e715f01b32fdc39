package io.syncline.connector.airtable;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.rest.PresetAbilities;
import io.syncline.connector.rest.RestConnections;
import io.syncline.connector.rest.RestPresetType;
import io.syncline.connector.rest.RestSystemType;
import io.syncline.model.Ability;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.Set;

/**
 * System type {@code airtable}: one base, through Airtable's Web API. The preset
 * ({@code presets/airtable.yaml}) fixes what Airtable fixes for every base (the bearer token, a
 * table's records at {@code /{base}/{table}} written as {@code {"fields": {…}}} and updated by
 * {@code PATCH}, {@code offset} pages of 100 under {@code records}, 5 requests a second and the 30
 * seconds a 429 costs); this plug-in does what data cannot say:
 * <ul>
 *   <li>a record is {@code {"id", "createdTime", "fields": {…}}}: its fields are lifted beside its
 *   {@code id} and {@code createdTime}, so that one mapping reads and writes the same paths
 *   ({@code Email}, not {@code fields.Email}).</li>
 * </ul>
 * Records are written one a request: Airtable's calls of ten records a request are not used.
 * Airtable's webhooks send a ping alone, whose changes are listed by another API; a table's changes
 * are polled instead, by a formula on {@code LAST_MODIFIED_TIME()}.
 */
@Singleton
public class AirtableSystemType extends RestPresetType {

    public static final String NAME = "airtable";

    public static final Set<Ability> ABILITIES = PresetAbilities.of(Set.of(), Set.of());

    public AirtableSystemType(SyncModelRegistry registry, RestSystemType rest, ObjectMapper json, RestConnections connections) {
        super(NAME, ABILITIES, registry, rest, json, connections);
    }

    /** {@code {"id", "createdTime", "fields": {"Name", …}}} as {@code {"id", "createdTime", "Name", …}}. */
    @Override
    protected Map<String, Object> read(Map<String, Object> record) {
        return lifted(record, "fields");
    }
}
