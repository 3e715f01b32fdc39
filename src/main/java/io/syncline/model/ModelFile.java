package io.syncline.model;

/** The text of one model file and where it came from ({@code file:routes/contacts.syncline.yaml}). */
public record ModelFile(String location, byte[] content) {
}
