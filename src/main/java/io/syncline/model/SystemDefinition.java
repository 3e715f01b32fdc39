package io.syncline.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A named connection Syncline reads from and writes to: {@code type} picks the system type (its
 * connector), and the system's other keys are that type's settings, kept as written (a preset's
 * type's laid over its preset, {@link SystemPresets}). The model knows no type's settings: a type
 * reads its own with {@link #settings(Class)}, bound once per definition and kept, and its rules
 * report what is wrong with them ({@link SettingsBinder}).
 */
@RegisterForReflection
public final class SystemDefinition {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String type;
    private final KeptSettings settings;
    /** Settings bound in code, not read from a model; null for a system the model declares. */
    private final Object given;

    private SystemDefinition(String type, ObjectNode settings, Object given) {
        this.type = type;
        this.settings = new KeptSettings(settings);
        this.given = given;
        if (given != null) {
            this.settings.keep(given);
        }
    }

    /** A system as the model writes it: its type and settings, laid over its type's preset where it has one. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static SystemDefinition read(JsonNode written) {
        if (written == null || written.isNull()) {
            return new SystemDefinition(null, JsonNodeFactory.instance.objectNode(), null);
        }
        if (!(SystemPresets.apply(written) instanceof ObjectNode system)) {
            throw new IllegalArgumentException("a system is a mapping of its type and settings");
        }
        JsonNode type = system.remove("type");
        return new SystemDefinition(type == null || type.isNull() ? null : type.asText(), system, null);
    }

    /** A system of {@code type} with {@code settings} as a model would write them (names to values, lists and maps). */
    public static SystemDefinition of(String type, Map<String, ?> settings) {
        return new SystemDefinition(type, JSON.valueToTree(settings), null);
    }

    /** A system of {@code type} whose settings are bound already (built in code, not read from a model). */
    public static SystemDefinition ofSettings(String type, Object settings) {
        return new SystemDefinition(type, JsonNodeFactory.instance.objectNode(), Objects.requireNonNull(settings));
    }

    /** The system type's name, as the model's {@code type:} gives it; null when the model gives none. */
    public String type() {
        return type;
    }

    /** The system's settings as written: every key but {@code type}. */
    public ObjectNode settings() {
        return settings.written().deepCopy();
    }

    /** The settings bound to {@code kind}, the type's settings class; bound once, then kept. */
    public <T> T settings(Class<T> kind) {
        return settings.value(kind);
    }

    /**
     * The settings read by {@code parse}, for a type that reads them itself; read once, then kept.
     * What {@code parse} throws is thrown, and it is asked again next time.
     */
    public <T> T settings(Class<T> kind, Function<SystemDefinition, T> parse) {
        return settings.value(kind, () -> parse.apply(this));
    }

    /**
     * The settings bound to {@code kind}, having reported what was wrong binding them at their paths
     * under {@code path} ({@code systems.crm}): what a type's {@link SystemTypeRules#validate} starts with.
     */
    public <T> T settings(Class<T> kind, String path, ProblemReporter problems) {
        return settings.reported(kind, path, problems);
    }

    /** The settings bound to {@code kind}, with what was wrong binding them. */
    public <T> SettingsBinder.Bound<T> bound(Class<T> kind) {
        return settings.bound(kind);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SystemDefinition that && Objects.equals(type, that.type) && settings.written().equals(that.settings.written())
                && Objects.equals(given, that.given);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, settings.written(), given);
    }

    /** The type and the settings' names; never their values, which may hold a secret written by mistake. */
    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        for (Iterator<String> each = settings.written().fieldNames(); each.hasNext();) {
            names.add(each.next());
        }
        return "SystemDefinition[type=" + type + ", settings=" + (given != null ? given : names) + "]";
    }
}
