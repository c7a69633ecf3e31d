package io.notesync.auth;

/** Where login attempts are counted ({@code notesync_logins_total{outcome}}). */
@FunctionalInterface
public interface LoginStats {

    void login(LoginOutcome outcome);
}
