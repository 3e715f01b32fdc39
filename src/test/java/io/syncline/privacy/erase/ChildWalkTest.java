package io.syncline.privacy.erase;

import io.syncline.compiled.SyncModelCompiler;
import io.syncline.mapping.transform.TransformRegistry;
import io.syncline.model.ModelFile;
import io.syncline.model.SyncModel;
import io.syncline.testsupport.BuiltInSystemTypes;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The children an erasure reaches: by each reference's {@code onParentErased}, each record once, cycles included. */
class ChildWalkTest {

    /**
     * A company's primary contact is erased with it, and a contact's company with the contact: a
     * cycle of {@code erase}. A contact's manager is detached (the default).
     */
    private static final String MODEL = """
            systems: {crm: {type: rest, baseUrl: "https://crm.example.com"}, erp: {type: jdbc, datasource: default}}
            entities:
              company: {key: id, master: crm, webhooks: {crm: /webhooks/crm/companies},
                fields: {id: {type: string}, primaryContact: {type: string, ref: contact, onParentErased: erase}},
                mappings: {crm: {key: id, fields: [{field: id, path: id}, {field: primaryContact, path: primaryContactId}]},
                  erp: {key: code, table: erp_company, fields: [{field: id, path: code}, {field: primaryContact, path: contact_id}]}}}
              contact: {key: id, master: crm, webhooks: {crm: /webhooks/crm/contacts},
                fields: {id: {type: string}, company: {type: string, ref: company, onParentErased: erase},
                  manager: {type: string, ref: contact}},
                mappings: {crm: {key: id, fields: [{field: id, path: id}, {field: company, path: companyId},
                    {field: manager, path: managerId}]},
                  erp: {key: id, table: erp_contact, fields: [{field: id, path: id}, {field: company, path: company_code},
                    {field: manager, path: manager_id}]}}}
            """;

    private static SyncModel model() {
        return new SyncModelCompiler(name -> null, TransformRegistry.builtIn(), (entity, canonicalId, system) -> Optional.empty(),
                BuiltInSystemTypes.CATALOG).compile(List.of(new ModelFile("file:children.syncline.yaml", MODEL.getBytes()))).model();
    }

    /** Who names whom: company co-1's primary contact is ct-1, whose company is co-1; ct-2 works at co-1; ct-3's manager is ct-1. */
    private static final Map<String, Set<String>> NAMING = Map.of(
            "company/primaryContact/ct-1", Set.of("co-1"),
            "contact/company/co-1", Set.of("ct-1", "ct-2"),
            "contact/manager/ct-1", Set.of("ct-3"),
            "contact/manager/ct-2", Set.of("ct-1"));

    @Test
    void aCycleOfEraseRulesEndsAndEachRecordIsErasedOnceWhileOthersAreDetached() throws Exception {
        List<String> asked = new ArrayList<>();
        ChildWalk.Children children = ChildWalk.walk(model(), "company", List.of("co-1"), (entity, field, parentId) -> {
            asked.add(entity + "/" + field + "/" + parentId);
            return NAMING.getOrDefault(entity + "/" + field + "/" + parentId, Set.of());
        });

        assertThat(children.erased()).containsExactlyInAnyOrder(new ChildWalk.Node("contact", "ct-1"),
                new ChildWalk.Node("contact", "ct-2"));
        // ct-3 names an erased manager and stays; ct-1 names erased ct-2 as its manager but is erased itself
        assertThat(children.detached()).containsExactly(new ChildWalk.Detach("contact", "ct-3", Map.of("manager", Set.of("ct-1"))));
        assertThat(children.counts()).isEqualTo(Map.of("contact", Map.of("erased", 2, "detached", 1)));
        // each record's children asked once: the cycle back to co-1 is not followed again
        assertThat(asked).doesNotHaveDuplicates();
    }

    @Test
    void withoutRecordsNamingTheErasedOneNothingIsReached() throws Exception {
        ChildWalk.Children children = ChildWalk.walk(model(), "contact", List.of("ct-9"), (entity, field, parentId) -> Set.of());

        assertThat(children.erased()).isEmpty();
        assertThat(children.detached()).isEmpty();
        assertThat(children.counts()).isEmpty();
    }
}
