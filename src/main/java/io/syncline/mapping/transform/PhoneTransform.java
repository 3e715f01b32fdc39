package io.syncline.mapping.transform;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import java.util.Locale;
import java.util.Set;

/**
 * {@code phone}: any written form of a number to E.164 ({@code +442079460018}), read with
 * libphonenumber against a default region for numbers written without a country code. Numbers
 * must be valid for their region (not merely of plausible length), so a digit typed twice is
 * caught here rather than by the first SMS. Blank text is no number and becomes {@code null}.
 * <p>
 * Towards the system, the number stays E.164 unless {@code format} asks for {@code national} or
 * {@code international}. A national form is only written for numbers of the default region: a
 * foreign number in national form could not be read back, so it is written internationally.
 */
final class PhoneTransform implements FieldTransform {

    static final String NAME = "phone";
    private static final String EXAMPLE = "{phone: {region: GB}}";
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    private final String region;
    private final PhoneNumberReader reader;
    private final PhoneNumberFormat outputFormat;
    /** A reading costs about 1 µs for a plainly written number, up to 20 µs through parse: memoised. */
    private final Readings<Reading> readings = Readings.bounded();

    private PhoneTransform(String region, PhoneNumberFormat outputFormat) {
        this.region = region;
        this.reader = PhoneNumberReader.forRegion(region);
        this.outputFormat = outputFormat;
    }

    static PhoneTransform create(Object parameters) {
        TransformParameters params = TransformParameters.read(NAME, parameters, EXAMPLE, Set.of("region", "format"));
        String region = params.requiredString("region",
                "add the default region for numbers written without a country code")
                .toUpperCase(Locale.ROOT);
        if (!PHONES.getSupportedRegions().contains(region)) {
            throw params.invalid("region '" + params.value("region") + "' is not a known region code",
                    "use an ISO 3166 code such as GB, US or DE");
        }
        String format = params.optionalString("format").orElse("e164");
        PhoneNumberFormat outputFormat = switch (format.toLowerCase(Locale.ROOT)) {
            case "e164" -> PhoneNumberFormat.E164;
            case "national" -> PhoneNumberFormat.NATIONAL;
            case "international" -> PhoneNumberFormat.INTERNATIONAL;
            default -> throw params.invalid("format '" + format + "' is not a phone format",
                    "use e164, national or international");
        };
        return new PhoneTransform(region, outputFormat);
    }

    @Override
    public Object toCanonical(Object value, TransformContext context) {
        PhoneNumber number = parse(value, context, Direction.TO_CANONICAL);
        return number == null ? null : PHONES.format(number, PhoneNumberFormat.E164);
    }

    @Override
    public Object toSystem(Object value, TransformContext context) {
        if (value == null || outputFormat == PhoneNumberFormat.E164) {
            return value;
        }
        PhoneNumber number = parse(value, context, Direction.TO_SYSTEM);
        if (number == null) {
            return null;
        }
        boolean foreign = number.getCountryCode() != PHONES.getCountryCodeForRegion(region);
        return PHONES.format(number, foreign ? PhoneNumberFormat.INTERNATIONAL : outputFormat);
    }

    private PhoneNumber parse(Object value, TransformContext context, Direction direction) {
        if (value == null) {
            return null;
        }
        // Spreadsheet exports hand over numbers as numbers; their digits are still the phone number.
        String text = value instanceof Number number
                ? Coercions.decimal(number).toPlainString()
                : Coercions.text(value, context, direction, NAME).strip();
        if (text.isEmpty()) {
            return null;
        }
        Reading reading = readings.get(text, this::read);
        if (reading.number() == null) {
            throw new InvalidPhoneException(context, direction, value, region, reading.problem(), reading.cause());
        }
        return reading.number();
    }

    /** What libphonenumber made of one text: the number, or why it is none. */
    private record Reading(PhoneNumber number, String problem, NumberParseException cause) {
    }

    private Reading read(String text) {
        PhoneNumber number;
        try {
            number = reader.read(text);
        } catch (NumberParseException e) {
            return new Reading(null, e.getErrorType().name().toLowerCase(Locale.ROOT).replace('_', ' '), e);
        }
        if (number == null) {
            return new Reading(null, null, null);
        }
        if (number.hasExtension()) {
            // E.164 has no place for an extension; dropping it would silently reach the wrong person.
            return new Reading(null, "it has an extension, which E.164 cannot hold", null);
        }
        return new Reading(number, null, null);
    }
}
