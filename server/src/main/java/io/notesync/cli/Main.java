package io.notesync.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code notesync}: the command-line entry point. */
@Command(name = "notesync",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Real-time notes server: Socket.IO clients in, MongoDB behind.",
        subcommands = {ServeCommand.class, TokenCommand.class, UserCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command, e.g. 'notesync serve --config config/notesync.yml'");
    }
}
