package io.notesync.auth;

/** How a login attempt ended; {@link #label()} is its {@code outcome} in the log and in /metrics. */
public enum LoginOutcome {
    /** The password was right. */
    ACCEPTED("accepted"),
    /** A wrong password or an unknown user: the client cannot tell which. */
    REFUSED("refused"),
    /** Refused by the throttle without looking at the password. */
    THROTTLED("throttled");

    private final String label;

    LoginOutcome(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
