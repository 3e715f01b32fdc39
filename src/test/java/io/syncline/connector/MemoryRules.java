package io.syncline.connector;

import io.syncline.model.Environment;
import io.syncline.model.ProblemReporter;
import io.syncline.model.SystemDefinition;
import io.syncline.model.SystemTypeRules;

/** What type {@code memory} checks of its systems' settings: that they bind, and an id prefix that is one. */
final class MemoryRules implements SystemTypeRules {

    static final MemoryRules RULES = new MemoryRules();

    private MemoryRules() {
    }

    @Override
    public void validate(String path, SystemDefinition system, Environment environment, ProblemReporter problems) {
        MemorySettings memory = system.settings(MemorySettings.class, path, problems);
        if (memory.idPrefix() != null && memory.idPrefix().isBlank()) {
            problems.report(path + ".idPrefix", "an id prefix cannot be blank", "write the text new ids start with, or leave it out");
        }
    }
}
