package io.syncline.capture;

import io.agroal.api.AgroalDataSource;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every {@link RunningCapture} shares: a supervisor thread that waits for the capture's lock
 * ({@link CaptureLock}: one replica captures at a time), runs the capture while it holds it
 * ({@link #capture}), and after a failure runs it again after a pause that doubles up to
 * {@link #MAX_PAUSE}; and the state, counts and last error that readiness shows.
 */
abstract class SupervisedCapture implements RunningCapture {

    /**
     * What the capture is doing, for readiness: WAITING for a system out of reach (an org that is
     * down holds up its own changes only, and leaves readiness up), FAILED where only a person can
     * mend it.
     */
    enum State {
        STANDBY, STARTING, CAPTURING, WAITING, FAILED, STOPPED
    }

    /** How often a replica without the lock tries again, and the holder checks it still holds it. */
    static final Duration LOCK_CHECK = Duration.ofSeconds(2);
    static final Duration FIRST_PAUSE = Duration.ofSeconds(2);
    static final Duration MAX_PAUSE = Duration.ofSeconds(60);
    private static final int MAX_ERROR_LENGTH = 500;

    private final String name;
    private final Thread supervisor;
    /** The state store: the capture's lock, and where it stores what it captures. */
    protected final AgroalDataSource store;
    /** Events this capture put into the inbox. */
    protected final AtomicLong captured = new AtomicLong();

    protected volatile boolean running = true;
    protected volatile State state = State.STANDBY;
    protected volatile String lastError;
    private volatile Instant lastChangeAt;
    /** When the last change put into the inbox committed in its source, as the source stamped it. */
    private volatile Instant lastCommittedAt;
    protected volatile Instant retryAt;
    private volatile Runnable alive = () -> {
    };

    SupervisedCapture(String name, AgroalDataSource store) {
        this.name = name;
        this.store = store;
        this.supervisor = new Thread(this::supervise, "syncline-capture-" + name);
        supervisor.setDaemon(true);
    }

    /**
     * Captures while this replica holds {@code lock}. Returns true when it ended cleanly (the lock
     * lost, the capture no longer wanted) and may run again at once, false when it ended after
     * recording its own failure and waits a pause first; throws when it failed.
     */
    protected abstract boolean capture(CaptureLock lock) throws Exception;

    /** Records a failure of {@link #capture}, to be tried again after {@code pause}. */
    protected abstract void failed(Exception e, Duration pause);

    /** After each run of {@link #capture}, however it ended: what it left running is let go. */
    protected void release() {
    }

    /** Ends whatever runs the capture, when it is stopped and when its supervisor ends. */
    protected void halt() {
    }

    @Override
    public void start() {
        supervisor.start();
    }

    /** Stops the capture and waits a bounded time for its thread. */
    @Override
    public void stop() {
        running = false;
        halt();
        supervisor.interrupt();
        try {
            supervisor.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        halt();
        state = State.STOPPED;
    }

    @Override
    public void whileCapturing(Runnable alive) {
        this.alive = alive;
    }

    /**
     * Whether this replica still holds {@code lock}, asked every {@link #LOCK_CHECK} while the
     * capture runs; a capturing one tells it is alive then, whether its source changes or not, so
     * that a capture that stopped on every replica shows as silent (SynclineCaptureStopped).
     */
    protected boolean holds(CaptureLock lock) {
        boolean held = lock.held();
        if (held && state == State.CAPTURING) {
            alive.run();
        }
        return held;
    }

    /** The position last stored, where the capture has one; readiness shows it. */
    protected String position() {
        return null;
    }

    /**
     * Changes were put into the inbox now, the latest of them committed in the source at
     * {@code committedAt} (null where the source did not say).
     */
    protected void stored(Instant committedAt) {
        lastChangeAt = Instant.now();
        if (committedAt != null) {
            lastCommittedAt = committedAt;
        }
    }

    @Override
    public double lagSeconds() {
        Instant committed = lastCommittedAt;
        Instant stored = lastChangeAt;
        if (state != State.CAPTURING || committed == null || stored == null) {
            return Double.NaN;
        }
        return Math.max(0, Duration.between(committed, stored).toMillis()) / 1000.0;
    }

    @Override
    public CaptureStatus status() {
        return new CaptureStatus(name, state, captured.get(), lastChangeAt, lastError, retryAt, position());
    }

    /** Capturing from now on: the last failure is mended. */
    protected void capturing() {
        state = State.CAPTURING;
        lastError = null;
        retryAt = null;
        alive.run();
    }

    private void supervise() {
        Duration pause = FIRST_PAUSE;
        while (running) {
            try (CaptureLock lock = CaptureLock.tryAcquire(store, name)) {
                if (lock == null) {
                    state = State.STANDBY;
                    Thread.sleep(LOCK_CHECK.toMillis());
                    continue;
                }
                if (capture(lock)) {
                    pause = FIRST_PAUSE;
                    continue;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                if (!running) {
                    break;
                }
                failed(e, pause);
            } finally {
                release();
            }
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            pause = nextPause(pause);
        }
        halt();
    }

    /** The pause after {@code pause}: twice as long, up to {@link #MAX_PAUSE}. */
    static Duration nextPause(Duration pause) {
        return pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
    }

    /** A failure as readiness shows it: its message, cut to {@value #MAX_ERROR_LENGTH} characters. */
    static String reason(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.length() > MAX_ERROR_LENGTH ? message.substring(0, MAX_ERROR_LENGTH) + "…" : message;
    }
}
