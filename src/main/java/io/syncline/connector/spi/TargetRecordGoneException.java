package io.syncline.connector.spi;

import io.syncline.failure.TargetRejectedException;

/**
 * The target record the ID map links was not there when it was read back: someone deleted it in
 * the target since Syncline linked it. Updating it would only be refused, and a new record in its
 * place would get a new id that the link does not follow; so nothing is written, and the event is
 * a dead letter that names the record, replayable once a person has restored it in the target.
 */
public class TargetRecordGoneException extends TargetRejectedException {

    public TargetRecordGoneException(String system, String entity, String id) {
        super(system, 404, null, entity + " " + id + " that the ID map links in " + system
                + " is gone from it (deleted there since it was linked): nothing was written");
    }
}
