package io.syncline.connector.sheets;

import io.syncline.connector.spi.Mappings;
import io.syncline.connector.spi.SystemCheck;
import io.syncline.failure.TargetRejectedException;
import io.syncline.failure.TargetUnavailableException;
import io.syncline.model.FieldMapping;
import io.syncline.model.SyncModel;
import io.syncline.model.SystemMapping;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The check of a Google Sheets system before its first event: for each mapping, its table's header
 * row read alone ({@code values.get}, one read a mapping). The first read proves the service
 * account's key and its access to the spreadsheet; each mapping's sheet must exist and its header
 * row name the key column and every column the mapping names.
 */
final class SheetsCheck {

    private SheetsCheck() {
    }

    /** Each of the system's mappings in {@code model}, whose {@code resource} is the table's range. */
    static List<SystemCheck> check(String system, SheetsClient client, SyncModel model) {
        Map<String, SystemMapping> mappings = Mappings.ofSystem(model, system);
        List<SystemCheck> checks = new ArrayList<>();
        boolean credentials = false;
        for (Map.Entry<String, SystemMapping> mapped : mappings.entrySet()) {
            SystemMapping mapping = mapped.getValue();
            String resource = SheetsMappingSettings.of(mapping).resource();
            String check = "sheet " + resource;
            SheetRange range;
            try {
                range = SheetRange.parse(resource);
            } catch (IllegalArgumentException e) {
                checks.add(SystemCheck.failed(check, e.getMessage(), "correct entities." + mapped.getKey() + ".mappings." + system + ".resource"));
                continue;
            }
            List<String> header;
            try {
                header = client.header(range);
            } catch (TargetRejectedException e) {
                // Sheets answers a range of a sheet the spreadsheet lacks with 400 "Unable to parse range"
                if (e.status() == 400 && String.valueOf(e.getMessage()).contains("Unable to parse range")) {
                    checks.add(SystemCheck.failed(check, "the spreadsheet has no sheet " + range.sheet(),
                            "add a sheet (tab) named " + range.sheet() + " whose row " + range.headerRow()
                                    + " holds the column names, or correct the mapping's resource"));
                    continue;
                }
                if (!credentials) {
                    checks.add(SystemCheck.failed("credentials", e.getMessage(), "share the spreadsheet with the service account"
                            + " (its client_email) as an editor, and give " + system + " that account's key and the spreadsheet's id"));
                    return checks;
                }
                checks.add(SystemCheck.failed(check, e.getMessage(), "make sure the service account may read " + range.sheet()));
                continue;
            } catch (TargetUnavailableException e) {
                checks.add(SystemCheck.failed("reachable", e.getMessage(), "make sure Google's Sheets API answers from this deployment"));
                return checks;
            }
            if (!credentials) {
                credentials = true;
                checks.add(0, SystemCheck.passed("credentials", "the service account reads the spreadsheet"));
            }
            // the entity's modifiedAt is stamped by the poll with the time it saw a row change: no column holds it
            String modifiedAt = model.entities().get(mapped.getKey()).modifiedAt();
            String stamped = modifiedAt == null ? null : mapping.pathOf(modifiedAt).orElse(null);
            Set<String> named = new LinkedHashSet<>();
            named.add(mapping.key());
            for (FieldMapping field : mapping.fields()) {
                if (field.path() != null && !field.path().equals(stamped)) {
                    named.add(field.path());
                }
            }
            List<String> missing = named.stream().filter(column -> !header.contains(column)).toList();
            if (missing.isEmpty()) {
                checks.add(SystemCheck.passed(check, "row " + range.headerRow() + " names the columns the mapping names: "
                        + String.join(", ", named)));
            } else {
                checks.add(SystemCheck.failed(check, "row " + range.headerRow() + " has no column " + String.join(", ", missing),
                        "add the column name" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing) + " to row "
                                + range.headerRow() + " of " + range.sheet() + ", or correct the mapping's paths"));
            }
        }
        if (mappings.isEmpty()) {
            checks.add(SystemCheck.passed("reachable", "no mapping names a sheet of " + system + ": Syncline calls nothing of it"));
        }
        return checks;
    }
}
