package io.syncline.conflict;

import io.syncline.model.CanonicalField;
import io.syncline.model.EntityDefinition;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The conflict processor's decisions beyond the strategy table ({@link ConflictMatrixTest}). */
class ConflictResolverTest {

    private static final Instant T0 = Instant.parse("2024-05-01T09:00:00Z");
    private static final List<String> FIELDS = List.of("id", "city", "phone", "updatedAt");

    /** crm is the master; erp owns phone, a field crm and billing both write. */
    private static final EntityDefinition CONTACT = new EntityDefinition("id", "crm", Map.of("erp", List.of("phone")),
            Map.of("id", new CanonicalField(CanonicalField.Type.STRING, null), "city", new CanonicalField(CanonicalField.Type.STRING, null),
                    "phone", new CanonicalField(CanonicalField.Type.STRING, null),
                    "updatedAt", new CanonicalField(CanonicalField.Type.TIMESTAMP, null)),
            Map.of(), List.of(), null, "updatedAt", null, null);

    private static ConflictResolver resolver(ConflictStrategy strategy) {
        return new ConflictResolver("contact", CONTACT, new ConflictPolicy(strategy, Map.of()));
    }

    private static Map<String, Object> values(String city, String phone, Instant updatedAt) {
        Map<String, Object> values = new HashMap<>();
        values.put("id", "c-1");
        values.put("city", city);
        values.put("phone", phone);
        values.put("updatedAt", updatedAt.toString());
        return values;
    }

    private static ConflictResolver.Sides sides(Map<String, Object> incoming, Map<String, Object> current,
            ConflictResolver.Overwritten overwritten, ReviewResolution resolution,
            boolean resync) {
        return new ConflictResolver.Sides("billing", "crm", incoming, current, values("X", "+1", T0),
                Instant.parse(incoming.get("updatedAt").toString()), overwritten, resolution, resync);
    }

    @Test
    void conflictOnAFieldNeitherSideOwnsGoesToTheIncomingChangeUnderMasterAlwaysWinsAndToReviewUnderFieldLevelMerge() {
        Map<String, Object> incoming = values("X", "+2", T0.plusSeconds(60));
        Map<String, Object> current = values("X", "+3", T0.plusSeconds(30));

        var master = resolver(new MasterAlwaysWinsStrategy()).resolve(FIELDS, sides(incoming, current, null, null, false));
        var merge = resolver(new FieldLevelMergeStrategy()).resolve(FIELDS, sides(incoming, current, null, null, false));

        assertThat(master.values().get("phone")).isEqualTo("+2");
        assertThat(master.conflicts()).singleElement().satisfies(c -> assertThat(c.fieldMaster()).isEqualTo("erp"));
        assertThat(merge.forReview()).extracting(FieldConflict::field).containsExactly("phone");
    }

    @Test
    void tieBetweenTwoSystemsNeitherOwningTheFieldGoesToTheNameThatSortsFirstWhicheverWayTheEventTravels() {
        Map<String, Object> fromBilling = values("X", "+2", T0.plusSeconds(60));
        Map<String, Object> crmHolds = values("X", "+3", T0.plusSeconds(60));
        ConflictResolver lww = resolver(new LastWriteWinsStrategy());

        var billingToCrm = lww.resolve(FIELDS, sides(fromBilling, crmHolds, null, null, false));
        var crmToBilling = lww.resolve(FIELDS, new ConflictResolver.Sides("crm", "billing", crmHolds, fromBilling,
                values("X", "+1", T0), T0.plusSeconds(60), null, null, false));

        assertThat(billingToCrm.values().get("phone")).isEqualTo("+2");
        assertThat(crmToBilling.values().get("phone")).isEqualTo("+2");
    }

    @Test
    void lateReportOfAValueSyncLineOverwroteInTheSourceIsNotTakenForAChange() {
        // Syncline wrote city A over billing's B when billing's record was modified at T0+30s;
        // billing's webhook of that B (modified T0+30s) arrives afterwards.
        var overwritten = new ConflictResolver.Overwritten(Map.of("city", "B"), T0.plusSeconds(30));
        Map<String, Object> late = values("B", "+1", T0.plusSeconds(30));
        Map<String, Object> crmHolds = values("A", "+1", T0.plusSeconds(60));

        var outcome = resolver(new LastWriteWinsStrategy()).resolve(FIELDS,
                new ConflictResolver.Sides("billing", "crm", late, crmHolds, values("A", "+1", T0.plusSeconds(60)),
                        T0.plusSeconds(30), overwritten, null, false));
        var genuine = resolver(new LastWriteWinsStrategy()).resolve(FIELDS,
                new ConflictResolver.Sides("billing", "crm", values("B", "+1", T0.plusSeconds(90)), crmHolds,
                        values("A", "+1", T0.plusSeconds(60)), T0.plusSeconds(90), overwritten, null, false));

        assertThat(outcome.values().get("city")).isEqualTo("A");
        assertThat(outcome.lateFields()).containsExactly("city");
        assertThat(outcome.conflicts()).isEmpty();
        assertThat(genuine.values().get("city")).as("set again later: a real change").isEqualTo("B");
        assertThat(genuine.lateFields()).isEmpty();
    }

    @Test
    void reviewDecisionsReplaceTheStrategyFieldByField() {
        Map<String, Object> incoming = values("A", "+2", T0.plusSeconds(60));
        Map<String, Object> current = values("B", "+3", T0.plusSeconds(30));
        ReviewResolution resolution = new ReviewResolution(7, "admin", Map.of("city", ReviewDecision.target(),
                "phone", ReviewDecision.custom("+4")));

        var outcome = resolver(new ReviewStrategy()).resolve(FIELDS, sides(incoming, current, null, resolution, false));

        assertThat(outcome.forReview()).isEmpty();
        assertThat(outcome.values()).containsEntry("city", "B").containsEntry("phone", "+4");
        assertThat(outcome.sources()).containsEntry("city", "crm").containsEntry("phone", ConflictResolver.CUSTOM_VALUE);
    }

    @Test
    void decidedFieldWhoseIncomingValueSynclineAlreadyReplacedInTheSourceTakesTheDecisionAndCountsAsALateReport() {
        // The other direction of a two-way resolution: the first write put the custom C over
        // billing's B (modified T0+30s); billing's held event still reports B.
        var overwritten = new ConflictResolver.Overwritten(Map.of("city", "B"), T0.plusSeconds(30));
        ReviewResolution resolution = new ReviewResolution(8, "admin", Map.of("city", ReviewDecision.custom("C")));

        var outcome = resolver(new ReviewStrategy()).resolve(FIELDS, new ConflictResolver.Sides("billing", "crm",
                values("B", "+1", T0.plusSeconds(30)), values("A", "+1", T0.plusSeconds(60)), values("A", "+1", T0.plusSeconds(60)),
                T0.plusSeconds(30), overwritten, resolution, false));

        assertThat(outcome.values()).containsEntry("city", "C");
        assertThat(outcome.lateFields()).containsExactly("city");
    }

    @Test
    void resyncPushesTheMastersOwnFieldsOverATargetEditButKeepsFieldsOwnedElsewhere() {
        // crm (the master) re-sends what it holds; billing edited city and phone (erp's) since.
        Map<String, Object> master = values("X", "+1", T0);
        Map<String, Object> billing = values("Drifted", "+9", T0.plusSeconds(30));

        var outcome = resolver(new MasterAlwaysWinsStrategy()).resolve(FIELDS,
                new ConflictResolver.Sides("crm", "billing", master, billing, values("X", "+1", T0), T0, null, null, true));

        assertThat(outcome.values()).containsEntry("city", "X").containsEntry("phone", "+9");
    }

    @Test
    void firstSyncAndATargetWithoutTheRecordTakeTheIncomingValues() {
        Map<String, Object> incoming = values("A", "+2", T0.plusSeconds(60));

        var noRow = resolver(new TargetWinsStrategy()).resolve(FIELDS, new ConflictResolver.Sides("billing", "crm",
                incoming, null, values("X", "+1", T0), T0.plusSeconds(60), null, null, false));
        var neverSynced = resolver(new TargetWinsStrategy()).resolve(FIELDS, new ConflictResolver.Sides("billing", "crm",
                incoming, values("B", "+3", T0), null, T0.plusSeconds(60), null, null, false));

        assertThat(noRow.values()).containsEntry("city", "A").containsEntry("phone", "+2");
        assertThat(neverSynced.values()).containsEntry("city", "A");
    }
}
