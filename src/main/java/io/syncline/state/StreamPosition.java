package io.syncline.state;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Where a change stands in its source's change stream (a database's log, read by a capture). The
 * changes of one stream are in a total order of their own, which no clock gives: two changes
 * within the same second, or stamped by a clock that runs ahead, are still in order here.
 *
 * <p>A snapshot's row (the table as it stood when a capture began reading) has position
 * {@link #SNAPSHOT}: it is the row as it is, to be applied whatever its stream applied before (a
 * capture that began again, on a log that began again), and every change after it follows it.
 *
 * @param stream which stream ({@code pg}, {@code binlog}): positions of different streams do not compare
 * @param at     the position as text whose order is the stream's (fixed-width numbers): a later change sorts after
 */
@RegisterForReflection
public record StreamPosition(String stream, String at) {

    /** The {@code at} of a snapshot's row: before every change of the stream. */
    public static final String SNAPSHOT = "";

    /** A snapshot's row of {@code stream}. */
    public static StreamPosition snapshot(String stream) {
        return new StreamPosition(stream, SNAPSHOT);
    }

    /** Whether this is a snapshot's row ({@link #SNAPSHOT}). */
    public boolean snapshot() {
        return SNAPSHOT.equals(at);
    }

    /** Whether this position and {@code other} are of one stream, so that their order means something. */
    public boolean comparable(StreamPosition other) {
        return other != null && stream.equals(other.stream);
    }

    /** Negative when this change came before {@code other} in the stream, 0 for the same change. */
    public int compareTo(StreamPosition other) {
        return at.compareTo(other.at);
    }

    @Override
    public String toString() {
        return stream + ":" + at;
    }
}
