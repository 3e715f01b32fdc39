package io.syncline.status;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A field whose value in a system differs from its master's ({@code masterSystem}). */
@RegisterForReflection
public record Difference(String masterSystem, Object master, Object here) {
}
