package io.notesync.auth;

import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;

/** Adds, changes and removes notesync's own users; what {@code notesync user} does. */
public final class UserAccounts {

    /** Usernames are also room names and token claims: keep them plain. */
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@+-]{1,64}");

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final Clock clock;

    public UserAccounts(UserRepository users, PasswordHasher hasher, PasswordPolicy policy, Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.policy = policy;
        this.clock = clock;
    }

    /** Why an account operation could not be done; the message is for the operator. */
    public static final class AccountException extends RuntimeException {
        public AccountException(String message) {
            super(message);
        }
    }

    public static String problemWithUsername(String username) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            return "a username is 1 to 64 characters of letters, digits and . _ @ + -";
        }
        return null;
    }

    public void add(String username, char[] password) {
        check(problemWithUsername(username));
        check(policy.problemWith(password));
        if (!users.add(username, hasher.hash(password), clock.instant())) {
            throw new AccountException("user '" + username + "' already exists");
        }
    }

    public void changePassword(String username, char[] password) {
        check(problemWithUsername(username));
        check(policy.problemWith(password));
        if (!users.setPasswordHash(username, hasher.hash(password), clock.instant())) {
            throw new AccountException("there is no user '" + username + "'");
        }
    }

    public void remove(String username) {
        if (!users.remove(username)) {
            throw new AccountException("there is no user '" + username + "'");
        }
    }

    public List<UserRepository.User> list() {
        return users.list();
    }

    private static void check(String problem) {
        if (problem != null) {
            throw new AccountException(problem);
        }
    }
}
