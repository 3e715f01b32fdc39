package io.syncline.model;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A type's keys as the model wrote them (a system's settings, a mapping's keys of its type's),
 * each binding of them to a settings class made once and kept with the problems found making it
 * ({@link SettingsBinder}): the model binds no type's keys itself, the type does on first use.
 */
final class KeptSettings {

    private final ObjectNode written;
    private final Map<Class<?>, SettingsBinder.Bound<?>> bound = new ConcurrentHashMap<>();

    KeptSettings(ObjectNode written) {
        this.written = written;
    }

    /** The keys as written, not copied: the owner hands out copies. */
    ObjectNode written() {
        return written;
    }

    /** Keeps {@code given}, settings bound in code, as the binding to its class. */
    void keep(Object given) {
        bound.put(given.getClass(), new SettingsBinder.Bound<>(given, List.of()));
    }

    /** The keys bound to {@code kind}; bound once, then kept. */
    <T> T value(Class<T> kind) {
        // on every write and pull: the kept value itself, without a copy of its problems
        return kind.cast(bound.computeIfAbsent(kind, k -> SettingsBinder.bind(written, k)).value());
    }

    /** The keys read by {@code read}, for a type that reads them itself; read once, then kept. */
    <T> T value(Class<T> kind, Supplier<T> read) {
        return kind.cast(bound.computeIfAbsent(kind, k -> new SettingsBinder.Bound<>(read.get(), List.of())).value());
    }

    /** The keys bound to {@code kind}, with what was wrong binding them. */
    <T> SettingsBinder.Bound<T> bound(Class<T> kind) {
        SettingsBinder.Bound<?> found = bound.computeIfAbsent(kind, k -> SettingsBinder.bind(written, k));
        return new SettingsBinder.Bound<>(kind.cast(found.value()), found.problems());
    }

    /** The keys bound to {@code kind}, having reported what was wrong binding them at their paths under {@code path}. */
    <T> T reported(Class<T> kind, String path, ProblemReporter problems) {
        SettingsBinder.Bound<T> found = bound(kind);
        found.report(path, problems);
        return found.value();
    }
}
