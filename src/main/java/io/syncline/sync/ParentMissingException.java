package io.syncline.sync;

import io.syncline.mapping.CanonicalRecord;
import io.syncline.mapping.RecordHeldException;

import java.util.List;

/**
 * A record whose parent was still not linked when its wait ran out ({@code missingParent: {then:
 * review}}, the default): held in the review queue, the reasons naming each missing parent, the
 * reference fields held for a person to supply.
 */
public class ParentMissingException extends RecordHeldException {

    public ParentMissingException(CanonicalRecord record, List<String> reasons, List<String> fields) {
        super(record, reasons, fields, List.of());
    }

    @Override
    public String policy() {
        return "missingParent: review";
    }
}
