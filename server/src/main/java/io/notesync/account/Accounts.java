package io.notesync.account;

import io.notesync.auth.PasswordHasher;
import io.notesync.auth.RefreshTokenRepository;
import io.notesync.auth.Revocations;
import io.notesync.auth.UserAccounts;
import io.notesync.auth.UserRepository;
import io.notesync.notes.NoteRepository;
import io.notesync.notes.VideoExport;

import java.time.Clock;
import java.util.function.Consumer;

/**
 * What a person (over HTTP) or the operator (the CLI) does to an account as a whole, each step in
 * an order that leaves nothing usable behind if it stops half-way: the revocation moment first
 * (every access token issued before it is refused, every socket holding one ends), then the
 * refresh tokens, then the user and the notes. Blocking (the database, bcrypt).
 */
public final class Accounts {

    /** What a removal took along. */
    public record Removal(long notes, long refreshTokens) {
    }

    private final UserAccounts userAccounts;
    private final UserRepository users;
    private final PasswordHasher hasher;
    private final Revocations revocations;
    private final RefreshTokenRepository refreshTokens;
    private final NoteRepository notes;
    private final Clock clock;

    public Accounts(UserAccounts userAccounts, UserRepository users, PasswordHasher hasher, Revocations revocations,
                    RefreshTokenRepository refreshTokens, NoteRepository notes, Clock clock) {
        this.userAccounts = userAccounts;
        this.users = users;
        this.hasher = hasher;
        this.revocations = revocations;
        this.refreshTokens = refreshTokens;
        this.notes = notes;
        this.clock = clock;
    }

    /** Sets the password (policy checked) and ends every session of the user. */
    public void changePassword(String username, char[] newPassword) {
        userAccounts.changePassword(username, newPassword);
        endEverySession(username);
    }

    /** True when {@code password} is the user's; same time for an unknown user. */
    public boolean passwordMatches(String username, char[] password) {
        UserRepository.User user = users.find(username);
        return hasher.verify(password, user == null ? null : user.passwordHash());
    }

    /**
     * Every access token of the user issued before now is refused and every refresh token is
     * revoked: each session ends, on every node.
     */
    public void endEverySession(String username) {
        revocations.revoke(username);
        refreshTokens.revokeAllOf(username, clock.instant());
    }

    /**
     * Removes the user with every note and refresh token. The revocation moment stays (a
     * tombstone): the old account's tokens never reach a new account of the same name.
     */
    public Removal remove(String username) {
        if (users.find(username) == null) {
            throw new UserAccounts.AccountException("there is no user '" + username + "'");
        }
        revocations.revoke(username);
        long tokens = refreshTokens.deleteAllOf(username);
        users.remove(username);
        return new Removal(notes.removeAllOf(username), tokens);
    }

    /**
     * A packet that passed its token check just before a removal may be stored just after it: run
     * this once the packets in flight then have been stored or refused (the store's timeout), and
     * it removes what they left, unless an account of that name exists again. Returns notes removed.
     */
    public long removeLeftovers(String username) {
        return users.find(username) == null ? notes.removeAllOf(username) : 0;
    }

    /** Every video of the user with its live notes, one at a time. */
    public void export(String username, Consumer<VideoExport> sink) {
        notes.exportAll(username, sink);
    }
}
