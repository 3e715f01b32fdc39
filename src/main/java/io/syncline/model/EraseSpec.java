package io.syncline.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * How a system erases a person's record on an erasure request ({@code erase:} under a mapping;
 * docs/privacy.md).
 *
 * @param mode   {@code hard} removes the record (SQL {@code DELETE}; REST {@code DELETE {resource}/{id}}),
 *               {@code anonymise} keeps it with {@code fields} emptied (a table whose rows must stay,
 *               say for invoices), {@code manual}: Syncline cannot erase there and the request says so
 * @param fields for {@code anonymise}: the canonical fields to empty; none listed: every field the
 *               mapping writes except its key and the entity's {@code modifiedAt}
 */
@RegisterForReflection
public record EraseSpec(Mode mode, List<String> fields) {

    public EraseSpec {
        fields = fields == null ? List.of() : List.copyOf(fields);
    }

    public enum Mode {

        @JsonProperty("hard")
        HARD,
        @JsonProperty("anonymise")
        ANONYMISE,
        @JsonProperty("manual")
        MANUAL;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The mode in force for a mapping: its {@code erase.mode}, else {@code hard} where its deletes
     * are hard, else {@code anonymise}: a system that keeps deleted rows keeps the erased one, emptied.
     * A system whose type cannot erase ({@link Ability#ERASE}) is erased by its own procedure: {@code manual}.
     */
    public static EraseSpec of(SystemMapping mapping, java.util.Set<Ability> abilities) {
        EraseSpec declared = mapping.erase();
        if (declared != null && declared.mode() != null) {
            return declared;
        }
        List<String> fields = declared == null ? List.of() : declared.fields();
        if (!abilities.contains(Ability.ERASE)) {
            return new EraseSpec(Mode.MANUAL, fields);
        }
        boolean hard = mapping.delete() != null && mapping.delete().mode() == DeleteSpec.Mode.HARD;
        return new EraseSpec(hard ? Mode.HARD : Mode.ANONYMISE, fields);
    }
}
