package io.syncline.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Map;

/**
 * A secret in the model: always the name of an environment variable ({@code {env: CRM_TOKEN}}),
 * never the value. A literal string is still read, so that validation can reject it by name
 * instead of failing on a type error.
 */
@RegisterForReflection
public record SecretRef(String env, String literal) {

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static SecretRef of(Object value) {
        if (value instanceof Map<?, ?> map && map.size() == 1 && map.get("env") instanceof String name) {
            return new SecretRef(name, null);
        }
        return new SecretRef(null, String.valueOf(value));
    }

    public boolean isLiteral() {
        return env == null;
    }

    /** The secret's value from the environment; validation guarantees it is set. */
    public String resolve(Environment environment) {
        return environment.get(env);
    }

    /**
     * For a setting that may be written literally or taken from the environment (a JDBC
     * system's {@code url}): the literal, or the variable's value (null when it is not set).
     */
    public String literalOrResolve(Environment environment) {
        return isLiteral() ? literal : environment.get(env);
    }

    @Override
    public String toString() {
        // Never print a literal: it may be a real secret pasted by mistake.
        return isLiteral() ? "SecretRef[literal, hidden]" : "SecretRef[env=" + env + "]";
    }
}
