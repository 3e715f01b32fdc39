package io.syncline.model;

/**
 * One thing wrong with the model, located and with the fix:
 * {@code routes/contacts.syncline.yaml:14 at entities.contact.master: unknown system 'crn'. Fix: use one of billing, crm}.
 */
public record ModelProblem(String file, int line, String path, String problem, String fix) {

    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line : "") + " at " + path + ": " + problem
                + (fix == null || fix.isBlank() ? "" : ". Fix: " + fix);
    }
}
