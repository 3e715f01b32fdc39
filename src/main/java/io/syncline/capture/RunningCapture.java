package io.syncline.capture;

/**
 * A capture {@link ChangeCaptures} runs: a database's log read by Debezium ({@link ChangeCapture})
 * or a system's stream of change messages ({@link StreamCapture}).
 */
interface RunningCapture {

    /** What it was made of: a capture whose definition is unchanged keeps running when the model reloads. */
    Object definition();

    void start();

    /** Stops it, storing nothing more, and waits a bounded time for it. */
    void stop();

    CaptureStatus status();

    /**
     * How far behind its source the capture read its last change, in seconds: from when the change
     * committed in the source to when it was in the inbox. NaN while this replica does not capture
     * or has captured nothing since it started.
     */
    double lagSeconds();

    /** Run every few seconds while the capture reads its source, as its sign of life. */
    void whileCapturing(Runnable alive);
}
