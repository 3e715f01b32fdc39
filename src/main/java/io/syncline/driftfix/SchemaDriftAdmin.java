package io.syncline.driftfix;

import io.syncline.drift.FieldDrift;
import io.syncline.drift.MappingPausedException;
import io.syncline.drift.SchemaDriftStore;
import io.syncline.drift.SchemaWatch;
import io.syncline.inbox.Inbox;
import io.syncline.inbox.InboxCounts;
import io.syncline.store.BySource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The schema drifts as an admin acts on them (docs/real-time.md#schema-drift): each with the events
 * its mapping keeps waiting and, for a field that went missing, the proposed rename; accepting a
 * rename (the proposed one, or one the admin names) or resuming the mapping as it is, after which
 * the waiting events are due at once, unless another drift still pauses the mapping.
 */
@ApplicationScoped
public class SchemaDriftAdmin {

    private static final Logger LOG = Logger.getLogger(SchemaDriftAdmin.class);

    @Inject
    SchemaDriftStore store;
    @Inject
    SchemaWatch watch;
    @Inject
    Inbox inbox;
    @Inject
    InboxCounts counts;
    @Inject
    RenameProposals proposals;

    private final Clock clock = Clock.systemUTC();

    /**
     * A drift with, while it pauses its mapping, the events waiting for it (every unfinished event
     * of the mapping: those behind an earlier event of their record have not been tried yet) and
     * the proposed rename.
     */
    public record DriftView(FieldDrift drift, long waiting, RenameProposals.Proposal proposal) {
    }

    /** The drift cannot be decided as asked: it is decided already, or there is no rename to accept. */
    public static class DriftConflictException extends Exception {

        public DriftConflictException(String message) {
            super(message);
        }
    }

    public List<DriftView> list() throws SQLException {
        List<BySource<Long>> waiting = counts.waiting();
        List<DriftView> views = new ArrayList<>();
        for (FieldDrift drift : store.list()) {
            views.add(view(drift, waiting));
        }
        return views;
    }

    public Optional<DriftView> find(long id) throws SQLException {
        Optional<FieldDrift> drift = store.find(id);
        return drift.isEmpty() ? Optional.empty() : Optional.of(view(drift.get(), counts.waiting()));
    }

    /**
     * Accepts that the vanished field now arrives as {@code renameTo} (null: the proposed rename)
     * and resumes the mapping; empty where there is no such drift.
     */
    public Optional<DriftView> accept(long id, String renameTo, String user) throws SQLException, DriftConflictException {
        Optional<FieldDrift> found = store.find(id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        FieldDrift drift = found.get();
        if (!FieldDrift.MISSING.equals(drift.change())) {
            throw new DriftConflictException("Drift " + id + " is a change of type, not a missing field: there is no rename to"
                    + " accept; change the model's transform and resume the mapping");
        }
        String path = renameTo;
        if (path == null) {
            path = proposals.propose(drift).map(RenameProposals.Proposal::renameTo).orElse(null);
            if (path == null) {
                throw new DriftConflictException("No rename of " + drift.path() + " is proposed yet: name it (renameTo) or resume"
                        + " the mapping once the model reads the new field");
            }
        }
        return decide(drift, FieldDrift.RENAMED, path, user);
    }

    /** Resumes the mapping as the model now is, the field's absence or new type accepted; empty where there is no such drift. */
    public Optional<DriftView> resume(long id, String user) throws SQLException, DriftConflictException {
        Optional<FieldDrift> found = store.find(id);
        return found.isEmpty() ? Optional.empty() : decide(found.get(), FieldDrift.RESUMED, null, user);
    }

    private Optional<DriftView> decide(FieldDrift drift, String status, String renameTo, String user)
            throws SQLException, DriftConflictException {
        if (!store.resolve(drift.id(), status, renameTo, user, clock.instant())) {
            throw new DriftConflictException("Drift " + drift.id() + " is " + store.find(drift.id()).map(FieldDrift::status)
                    .orElse("gone") + " already: nothing to decide");
        }
        watch.refresh();
        if (!store.paused(drift.entity(), drift.system())) {
            int woken = inbox.wakePaused(drift.entity(), drift.system(), MappingPausedException.REASON_PREFIX);
            LOG.infof("%s resumed the mapping of %s from %s (%s %s): %d waiting events are due", user, drift.entity(),
                    drift.system(), drift.field(), renameTo == null ? status : "renamed to " + renameTo, woken);
        }
        return find(drift.id());
    }

    private DriftView view(FieldDrift drift, List<BySource<Long>> waiting) throws SQLException {
        long count = waiting.stream().filter(by -> by.entity().equals(drift.entity()) && by.sourceSystem().equals(drift.system()))
                .mapToLong(BySource::value).sum();
        RenameProposals.Proposal proposal = drift.paused() ? proposals.propose(drift).orElse(null) : null;
        return new DriftView(drift, drift.paused() ? count : 0, proposal);
    }
}
