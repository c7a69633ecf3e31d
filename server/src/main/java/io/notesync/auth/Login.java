package io.notesync.auth;

/**
 * Checks a username and password against notesync's users, throttled. Wrong password, unknown
 * user and throttled attempts all answer the same, in about the same time.
 */
public final class Login {

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;

    public Login(UserRepository users, PasswordHasher hasher, LoginThrottle throttle) {
        this.users = users;
        this.hasher = hasher;
        this.throttle = throttle;
    }

    /** {@link LoginOutcome#ACCEPTED} when the password is right and the attempt is not throttled. Blocking: database and bcrypt. */
    public LoginOutcome check(String username, char[] password, String address) {
        if (!throttle.allows(username, address)) {
            hasher.verify(password, null);
            return LoginOutcome.THROTTLED;
        }
        UserRepository.User user = users.find(username);
        boolean ok = hasher.verify(password, user == null ? null : user.passwordHash());
        if (ok) {
            throttle.succeeded(username, address);
            return LoginOutcome.ACCEPTED;
        }
        throttle.failed(username, address);
        return LoginOutcome.REFUSED;
    }
}
