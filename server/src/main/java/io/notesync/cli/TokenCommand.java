package io.notesync.cli;

import io.notesync.auth.SigningKeys;
import io.notesync.auth.TokenIssuer;
import io.notesync.config.ConfigException;
import io.notesync.config.NotesyncConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code notesync token issue}: mints an access token with the configured secret, for development and scripts. */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Access tokens for development and scripts.",
        subcommands = TokenCommand.Issue.class)
final class TokenCommand {

    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = "Prints a signed access token (HS256 with auth.secret) for a user.")
    static final class Issue implements Callable<Integer> {

        @Mixin
        ConfigOptions options;

        @Option(names = "--user", required = true, paramLabel = "NAME", description = "The username the token names.")
        String user;

        @Option(names = "--ttl", defaultValue = "15m", paramLabel = "DURATION",
                description = "Lifetime, e.g. 90s, 15m, 2h (default: ${DEFAULT-VALUE}).")
        String ttl;

        @Override
        public Integer call() {
            NotesyncConfig config;
            try {
                config = options.load();
            } catch (ConfigException e) {
                System.err.println("notesync: invalid configuration: " + e.getMessage());
                return 2;
            }
            SigningKeys keys = SigningKeys.from(config.auth());
            if (!keys.canSign()) {
                System.err.println("notesync: tokens can only be issued with auth.algorithm HS256");
                return 2;
            }
            Duration lifetime;
            try {
                lifetime = parseDuration(ttl);
            } catch (IllegalArgumentException e) {
                System.err.println("notesync: --ttl " + e.getMessage());
                return 2;
            }
            System.out.println(new TokenIssuer(config.auth(), keys, Clock.systemUTC()).issue(user, lifetime));
            return 0;
        }

        static Duration parseDuration(String text) {
            if (!text.matches("[1-9][0-9]*[smhd]")) {
                throw new IllegalArgumentException("must be a whole number followed by s, m, h or d, got '" + text + "'");
            }
            long amount = Long.parseLong(text.substring(0, text.length() - 1));
            return switch (text.charAt(text.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
    }
}
