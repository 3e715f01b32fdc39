package io.syncline.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals the secrets kept in the state store (the OAuth tokens of authorization-code grants, the
 * webhook secrets senders hand over in handshakes) with AES-GCM (the JDK's, 128-bit tags, a random
 * 96-bit nonce per value). The key is {@value #KEY_VARIABLE}: 16, 24 or 32 bytes, base64. Each value
 * is bound to its system and column as associated data, so a sealed token copied to another row
 * does not open.
 */
public final class TokenCipher {

    /** The environment variable that holds the key. */
    public static final String KEY_VARIABLE = "SYNCLINE_TOKEN_KEY";

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte VERSION = 1;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    private TokenCipher(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /**
     * The cipher of a base64 key.
     *
     * @throws IllegalArgumentException the key is missing, not base64, or not 16, 24 or 32 bytes long
     */
    public static TokenCipher of(String base64Key) {
        if (base64Key == null || base64Key.isBlank()) {
            throw new IllegalArgumentException(KEY_VARIABLE + " is not set: the OAuth tokens of auth type"
                    + " oauth2-authorization-code and the secrets of webhook handshakes are kept encrypted with it; set it"
                    + " to 32 random bytes, base64 (e.g. openssl rand -base64 32), from a Kubernetes Secret");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64Key.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(KEY_VARIABLE + " is not base64: set it to 32 random bytes, base64"
                    + " (e.g. openssl rand -base64 32)");
        }
        if (key.length != 16 && key.length != 24 && key.length != 32) {
            throw new IllegalArgumentException(KEY_VARIABLE + " holds " + key.length + " bytes; AES needs 16, 24 or 32"
                    + " (e.g. openssl rand -base64 32)");
        }
        return new TokenCipher(key);
    }

    /** {@code plain} sealed for {@code context} (system and column): version, nonce and ciphertext, base64. */
    public String seal(String plain, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length)
                    .put(VERSION).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /**
     * The value {@link #seal} sealed for {@code context}.
     *
     * @throws IllegalStateException it was sealed with another key or for another context, or was changed
     */
    public String open(String sealed, String context) {
        byte[] bytes = Base64.getDecoder().decode(sealed);
        if (bytes.length < 1 + NONCE_BYTES || bytes[0] != VERSION) {
            throw new IllegalStateException("A sealed secret of " + context + " has an unknown form");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 1, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(bytes, 1 + NONCE_BYTES, bytes.length - 1 - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("The stored secret of " + context + " does not open with " + KEY_VARIABLE
                    + ": the key changed since it was stored; give consent (or make the webhook's handshake) again", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }
}
