package io.syncline.capture;

import io.quarkus.arc.Arc;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.OffsetBackingStore;
import org.apache.kafka.connect.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * Debezium's offsets of one capture in the state store (table {@code capture_offset}), read at
 * the engine's start. The changes' offsets are saved with the changes, in the inbox's transaction
 * ({@link ChangeCapture}); of what the engine flushes here, only a first offset is kept: where a
 * new capture starts reading, before any change. Debezium makes it by its class name, so it
 * finds the repository through CDI.
 */
@RegisterForReflection
public class StateStoreOffsetBackingStore implements OffsetBackingStore {

    /** The engine setting that names the capture whose offsets these are. */
    public static final String CAPTURE = "syncline.capture";

    private String capture;
    private CaptureOffsetRepository offsets;

    @Override
    public void configure(WorkerConfig config) {
        capture = config.originalsStrings().get(CAPTURE);
        if (capture == null) {
            throw new ConnectException("No " + CAPTURE + " setting: the capture's offsets cannot be named");
        }
        offsets = Arc.container().instance(CaptureOffsetRepository.class).get();
    }

    @Override
    public void start() {
        // nothing to open: each call takes a connection of the state store's pool
    }

    @Override
    public void stop() {
        // nothing held
    }

    @Override
    public Future<Map<ByteBuffer, ByteBuffer>> get(Collection<ByteBuffer> keys) {
        try {
            Map<String, String> stored = offsets.find(capture);
            Map<ByteBuffer, ByteBuffer> found = new HashMap<>();
            for (ByteBuffer key : keys) {
                String value = stored.get(text(key));
                found.put(key, value == null ? null : ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8)));
            }
            return CompletableFuture.completedFuture(found);
        } catch (SQLException e) {
            return CompletableFuture.failedFuture(new ConnectException("Cannot read the offsets of capture " + capture, e));
        }
    }

    @Override
    public Future<Void> set(Map<ByteBuffer, ByteBuffer> values, Callback<Void> callback) {
        Map<String, String> texts = new HashMap<>();
        values.forEach((key, value) -> {
            if (key != null && value != null) {
                texts.put(text(key), text(value));
            }
        });
        try {
            offsets.saveFirst(capture, texts);
        } catch (SQLException e) {
            ConnectException failure = new ConnectException("Cannot save the offsets of capture " + capture, e);
            if (callback != null) {
                callback.onCompletion(failure, null);
            }
            return CompletableFuture.failedFuture(failure);
        }
        if (callback != null) {
            callback.onCompletion(null, null);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Set<Map<String, Object>> connectorPartitions(String connectorName) {
        return Set.of();
    }

    private static String text(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
