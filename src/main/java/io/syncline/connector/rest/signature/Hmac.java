package io.syncline.connector.rest.signature;

import io.syncline.webhook.signature.SignatureRejectedException;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** An HMAC (SHA-256 or SHA-1) with one key, and the constant-time comparison every scheme needs. */
final class Hmac {

    private final SecretKeySpec key;

    /** Every provider here uses the secret's UTF-8 bytes as the key, prefixes such as whsec_ included. */
    private Hmac(String secret, String algorithm) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm);
    }

    static Hmac sha256(String secret) {
        return new Hmac(secret, "HmacSHA256");
    }

    /** SHA-1: still what some senders sign with; an HMAC of it is not weakened by SHA-1's collisions. */
    static Hmac sha1(String secret) {
        return new Hmac(secret, "HmacSHA1");
    }

    byte[] sign(byte[]... parts) {
        try {
            // Mac instances are not thread-safe; a fresh one per call keeps verifiers shareable.
            Mac mac = Mac.getInstance(key.getAlgorithm());
            mac.init(key);
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            // Every Java platform must provide HmacSHA256 and HmacSHA1, so this is a broken JVM, not a bad request.
            throw new IllegalStateException(key.getAlgorithm() + " is not available", e);
        }
    }

    /** Constant-time: compares decoded bytes, never strings; null (undecodable) never matches. */
    static boolean matches(byte[] expected, byte[] given) {
        return given != null && MessageDigest.isEqual(expected, given);
    }

    /** Refuses the request unless the signature given is the one expected ({@link #matches}). */
    static void requireMatch(byte[] expected, byte[] given) {
        if (!matches(expected, given)) {
            throw new SignatureRejectedException("signature does not match");
        }
    }

    /** Decoded hex (either case), or null when it is not hex: malformed counts as a mismatch. */
    static byte[] hex(String value) {
        try {
            return HexFormat.of().parseHex(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Decoded standard base64, or null when it is not base64: malformed counts as a mismatch. */
    static byte[] base64(String value) {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
