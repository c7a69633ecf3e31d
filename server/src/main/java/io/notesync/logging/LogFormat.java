package io.notesync.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * The format of the process's log lines ({@code logging.format}): {@code text}, the lines for
 * people that logback.xml sets up, or {@code json}, one JSON object per line for a log collector,
 * written by logback's own {@link JsonEncoder} with the fields docs/operations.md lists
 * ({@code timestamp}, {@code level}, {@code threadName}, {@code loggerName},
 * {@code formattedMessage}, {@code mdc} with {@link LogFields}, {@code throwable}).
 *
 * <p>Applied once by {@code notesync serve}, after the configuration is read: it changes the
 * encoder of the root logger's console appenders, so it is a property of the process, not of a
 * server object (the tests run many servers in one JVM with their own logback-test.xml).
 */
public enum LogFormat {
    TEXT,
    JSON;

    /** The configured name ({@code text} or {@code json}), as validated by ConfigValidator. */
    public static LogFormat named(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** Switches the console appenders to this format; {@code TEXT} leaves logback.xml's as they are. */
    public void apply() {
        if (this == TEXT) {
            return;
        }
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        List<OutputStreamAppender<ILoggingEvent>> consoles = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> console) {
                consoles.add(console);
            }
        }
        for (OutputStreamAppender<ILoggingEvent> console : consoles) {
            console.stop();
            console.setEncoder(jsonEncoder(context));
            console.start();
        }
    }

    /** The standard fields and the MDC; not the message template and its arguments, nor logback's context. */
    static JsonEncoder jsonEncoder(LoggerContext context) {
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithContext(false);
        encoder.setWithMarkers(false);
        encoder.setWithKVPList(false);
        encoder.setWithMessage(false);
        encoder.setWithArguments(false);
        encoder.setWithFormattedMessage(true);
        encoder.start();
        return encoder;
    }
}
