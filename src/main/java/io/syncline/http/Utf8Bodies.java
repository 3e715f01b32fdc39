package io.syncline.http;

import io.syncline.text.StrictUtf8;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Every body the admin API reads, whatever reads it (Jackson, or a resource taking it as text),
 * goes through {@link StrictUtf8#json} first, as a webhook body does: one that is not UTF-8 is a
 * 400 {@code invalid_encoding} ({@link AdminErrorMappers}) instead of text with U+FFFD in it. A
 * resource that takes the body as a stream (an ID map import, too large to hold) reads it through
 * {@link StrictUtf8#reader} itself, as it streams.
 */
@Provider
public class Utf8Bodies implements ReaderInterceptor {

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        if (context.getType() == InputStream.class) {
            return context.proceed();
        }
        String text = StrictUtf8.json(context.getInputStream().readAllBytes());
        context.setInputStream(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        return context.proceed();
    }
}
