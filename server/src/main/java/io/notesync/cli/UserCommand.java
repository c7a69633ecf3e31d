package io.notesync.cli;

import com.mongodb.client.MongoDatabase;
import io.notesync.account.Accounts;
import io.notesync.auth.PasswordHasher;
import io.notesync.auth.Revocations;
import io.notesync.store.MongoNoteRepository;
import io.notesync.store.MongoRefreshTokenRepository;
import io.notesync.store.MongoRevocationRepository;
import io.notesync.auth.PasswordPolicy;
import io.notesync.auth.UserAccounts;
import io.notesync.auth.UserRepository;
import io.notesync.config.ConfigException;
import io.notesync.config.NotesyncConfig;
import io.notesync.storage.StorageUnavailableException;
import io.notesync.store.MongoUserRepository;
import io.notesync.store.Stores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * {@code notesync user add|passwd|remove|list}: notesync's own users, in the configured database
 * or the embedded store (through a running server when there is one). Passwords come from a
 * prompt, or from the first line of stdin; never from the command line, where other users of the
 * machine could read them.
 */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Manages the users who can log in.",
        subcommands = {UserCommand.Add.class, UserCommand.Passwd.class, UserCommand.Remove.class, UserCommand.List.class},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:done", "1:refused (user exists, no such user, bad password)", "2:invalid configuration",
                "3:the database cannot be reached"})
final class UserCommand {

    static final int REFUSED = 1;
    static final int INVALID_CONFIG = 2;
    static final int UNREACHABLE = 3;

    /** Runs {@code action} on the user accounts of the configured store, reporting failures as exit codes. */
    abstract static class Action implements Callable<Integer> {

        @Mixin
        ConfigOptions options;

        @Override
        public final Integer call() {
            NotesyncConfig config;
            try {
                config = options.load();
            } catch (ConfigException e) {
                System.err.println("notesync: invalid configuration: " + e.getMessage());
                return INVALID_CONFIG;
            }
            char[] password = null;
            try {
                password = needsPassword() ? readPassword() : null;
                try (Stores store = Stores.forTool(config);
                     MongoNoteRepository notes = new MongoNoteRepository(store.connection(), config.mongodb(), config.writer())) {
                    MongoDatabase database = store.connection().database();
                    Clock clock = Clock.systemUTC();
                    MongoUserRepository users = new MongoUserRepository(database);
                    PasswordHasher hasher = new PasswordHasher(config.auth().passwordHashCost());
                    UserAccounts accounts = new UserAccounts(users, hasher,
                            new PasswordPolicy(config.auth().minPasswordLength()), clock);
                    Accounts whole = new Accounts(accounts, users, hasher,
                            new Revocations(new MongoRevocationRepository(database), clock),
                            new MongoRefreshTokenRepository(database), notes, clock);
                    System.err.println("notesync: using " + store.description());
                    return run(new Context(accounts, whole, config), password);
                }
            } catch (Stores.Unreachable | StorageUnavailableException e) {
                System.err.println("notesync: " + e.getMessage());
                return UNREACHABLE;
            } catch (UserAccounts.AccountException | PasswordUnavailable e) {
                System.err.println("notesync: " + e.getMessage());
                return REFUSED;
            } finally {
                if (password != null) {
                    Arrays.fill(password, '\0');
                }
            }
        }

        boolean needsPassword() {
            return false;
        }

        abstract String passwordOwner();

        @Option(names = "--password-stdin", description = "Read the password from the first line of stdin even at a terminal.")
        boolean passwordStdin;

        /** What a subcommand works with: the users alone, the whole accounts, the configuration. */
        record Context(UserAccounts users, Accounts accounts, NotesyncConfig config) {
        }

        /** Returns the exit code. */
        abstract int run(Context context, char[] password);

        private char[] readPassword() {
            Console console = System.console();
            if (console != null && !passwordStdin) {
                char[] first = console.readPassword("Password for %s: ", passwordOwner());
                char[] again = console.readPassword("Repeat it: ");
                if (first == null || again == null || !Arrays.equals(first, again)) {
                    throw new PasswordUnavailable("the two passwords differ");
                }
                Arrays.fill(again, '\0');
                return first;
            }
            try {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (line == null || line.isEmpty()) {
                    throw new PasswordUnavailable("no password: type it at the prompt, or give it as the first line of stdin");
                }
                return line.toCharArray();
            } catch (IOException e) {
                throw new PasswordUnavailable("cannot read the password from stdin: " + e.getMessage());
            }
        }
    }

    static final class PasswordUnavailable extends RuntimeException {
        PasswordUnavailable(String message) {
            super(message);
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Adds a user; the password is prompted for or read from stdin.")
    static final class Add extends Action {
        @Parameters(paramLabel = "NAME", description = "1 to 64 letters, digits and . _ @ + -")
        String name;

        @Override
        boolean needsPassword() {
            return true;
        }

        @Override
        String passwordOwner() {
            return name;
        }

        @Override
        int run(Context context, char[] password) {
            context.users().add(name, password);
            System.out.println("added user " + name);
            return 0;
        }
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true, description = "Sets a user's password (prompted for or read from stdin).")
    static final class Passwd extends Action {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        boolean needsPassword() {
            return true;
        }

        @Override
        String passwordOwner() {
            return name;
        }

        @Override
        int run(Context context, char[] password) {
            context.accounts().changePassword(name, password);
            System.out.println("changed the password of " + name + "; every session of " + name
                    + " ends (refresh tokens revoked, access tokens issued before now refused, sockets disconnected)");
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Removes a user with every note and refresh token; every session of the user ends. "
                    + "Asks first at a terminal; --yes is required without one.")
    static final class Remove extends Action {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--yes", description = "Do not ask for confirmation (required when stdin is not a terminal).")
        boolean yes;

        @Override
        String passwordOwner() {
            return name;
        }

        @Override
        int run(Context context, char[] password) {
            if (!yes) {
                Console console = System.console();
                if (console == null) {
                    System.err.println("notesync: 'user remove' deletes " + name
                            + "'s notes too; without a terminal to ask, add --yes to confirm");
                    return REFUSED;
                }
                String answer = console.readLine("Remove user %s with every note and session? [y/N] ", name);
                if (answer == null || !answer.trim().equalsIgnoreCase("y") && !answer.trim().equalsIgnoreCase("yes")) {
                    System.err.println("notesync: nothing removed");
                    return REFUSED;
                }
            }
            Accounts.Removal removal = context.accounts().remove(name);
            System.out.println("removed user " + name + ": " + removal.notes() + " notes, " + removal.refreshTokens()
                    + " refresh tokens; every session of " + name + " ends");
            // A server may have let a packet of the user through just before it learned of the removal.
            long waitMs = context.config().mongodb().timeoutMs() + 2000;
            System.err.println("notesync: waiting " + waitMs / 1000 + " s for packets in flight on running servers");
            try {
                Thread.sleep(waitMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            long late = context.accounts().removeLeftovers(name);
            if (late > 0) {
                System.out.println("removed " + late + " more notes of " + name + " that were in flight");
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the users, one per line with when they were added.")
    static final class List extends Action {
        @Override
        String passwordOwner() {
            return null;
        }

        @Override
        int run(Context context, char[] password) {
            for (UserRepository.User user : context.users().list()) {
                System.out.println(user.username() + "\t" + user.createdAt());
            }
            return 0;
        }
    }
}
