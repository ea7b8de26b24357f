package dev.resilience.autoconfigure;

/** Matches unless {@code resilience.web.problem-details} is {@code false}: problem details are on by default. */
class OnWebProblemDetailsCondition extends BooleanPropertyCondition {

    static final String PROPERTY = "resilience.web.problem-details";

    OnWebProblemDetailsCondition() {
        super("Resilience problem details", PROPERTY, true);
    }
}
