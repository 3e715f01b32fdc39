package io.syncline.privacy.subject;

/**
 * Who a privacy request is about, as the admin API names them: a record's id in one system
 * ({@code system} and {@code id}), or a match key's value ({@code field} and {@code value}, e.g.
 * {@code email}). The value is given in canonical form (a lower-case e-mail, an E.164 phone).
 */
public record Subject(String entity, String system, String id, String field, String value) {

    /** What is wrong with the naming, or null when it names a person. */
    public String problem() {
        if (entity == null || entity.isBlank()) {
            return "entity is missing (the model's entity, e.g. contact)";
        }
        boolean byId = system != null || id != null;
        boolean byValue = field != null || value != null;
        if (byId == byValue) {
            return "name the person either by system and id, or by field and value (a match key such as email)";
        }
        if (byId && (isBlank(system) || isBlank(id))) {
            return "system and id are both needed";
        }
        if (byValue && (isBlank(field) || isBlank(value))) {
            return "field and value are both needed";
        }
        return null;
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
