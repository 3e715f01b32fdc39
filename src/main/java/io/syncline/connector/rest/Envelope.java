package io.syncline.connector.rest;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.regex.Pattern;

/**
 * Where a record is in a request's body and in an answer's ({@code request}, {@code answer}):
 * a dotted path whose steps may end in {@code [0]}, the first element of an array. Written
 * alone ({@code envelope: user}) it is both; either may be left out, a bare record.
 * {@code Contacts[0]}: a write sends {@code {"Contacts": [record]}}, an answer's record is the
 * first of its {@code Contacts}; {@code {answer: data}}: a bare record is sent and the answer's
 * is at {@code data}.
 */
@RegisterForReflection
public record Envelope(String request, String answer) {

    /** A path and its steps: a name, and {@code [0]} after it. */
    public static final Pattern PATH = Pattern.compile("[A-Za-z0-9_$-]+(\\[0])?(\\.[A-Za-z0-9_$-]+(\\[0])?)*");

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Envelope both(String path) {
        return new Envelope(path, path);
    }

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public Envelope(@JsonProperty("request") String request, @JsonProperty("answer") String answer) {
        this.request = request;
        this.answer = answer;
    }
}
