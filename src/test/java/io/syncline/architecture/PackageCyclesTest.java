package io.syncline.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * No two packages of {@code io.syncline} use each other, directly or through others, inside a
 * layer as well as across (docs/architecture.md, "How it is enforced"): each package can be read,
 * tested and moved with the ones below it alone.
 */
class PackageCyclesTest {

    /** The rule: {@code io.syncline.<name>} with its subpackages is one slice, and no slices form a cycle. */
    static final ArchRule NO_CYCLES = slices().matching("io.syncline.(*)..").should().beFreeOfCycles();

    private static final String MUTATION = "io.syncline.audit.AuditClassImportingSync";

    /** The main classes and the one test class that mutates them, imported once: the import is the slow part. */
    private static final JavaClasses MAIN_AND_THE_MUTATION = new ClassFileImporter()
            .withImportOption(location -> ImportOption.Predefined.DO_NOT_INCLUDE_TESTS.includes(location)
                    || location.contains(MUTATION.replace('.', '/') + ".class"))
            .importPackages("io.syncline");

    private static final JavaClasses MAIN = MAIN_AND_THE_MUTATION.that(
            DescribedPredicate.describe("main classes", (JavaClass c) -> !c.getName().equals(MUTATION)));

    @Test
    void noPackagesUseEachOther() {
        NO_CYCLES.check(MAIN);
    }

    @Test
    void anAuditClassUsingSyncFailsTheRule() {
        // sync records in the audit log: an audit class that uses sync back closes a cycle
        assertThatThrownBy(() -> NO_CYCLES.check(MAIN_AND_THE_MUTATION))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Cycle detected: Slice audit -> ")
                .hasMessageContaining(MUTATION);
    }

}
