package io.syncline.conflict;

/**
 * The system of record wins (the default): the side that owns the field (its declared owner,
 * else the entity's master) keeps its value. When neither side owns it (a third system does),
 * the incoming change wins, as it is the newer news either side has.
 */
public final class MasterAlwaysWinsStrategy extends NamedStrategy {

    public static final String NAME = "master-always-wins";

    public MasterAlwaysWinsStrategy() {
        super(NAME, conflict -> conflict.masterSide(ConflictResolution.SOURCE));
    }
}
