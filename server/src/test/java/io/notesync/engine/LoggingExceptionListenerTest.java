package io.notesync.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.core.JsonParseException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.net.SocketException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What the log says when netty-socketio cannot handle a connection's input, and that it closes it. */
class LoggingExceptionListenerTest {

    private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.secret-payload.signature";

    private final Logger logger = (Logger) LoggerFactory.getLogger(LoggingExceptionListener.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private Level levelBefore;

    @BeforeEach
    void captureTheLog() {
        levelBefore = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void releaseTheLog() {
        logger.detachAppender(lines);
        logger.setLevel(levelBefore);
    }

    @Test
    void aPacketThatDoesNotDecodeIsLoggedAtInfoByClassNamesWithoutThePayload() {
        // netty-socketio's JsonSupportWrapper wraps Jackson's error, whose message quotes the input.
        IOException failure = new IOException(new JsonParseException(null, "Unrecognized token '" + TOKEN + "'"));

        EmbeddedChannel channel = failWith(failure);

        ILoggingEvent line = onlyLine();
        assertEquals(Level.INFO, line.getLevel());
        assertTrue(line.getFormattedMessage().contains("a packet did not decode (IOException <- JsonParseException)"),
                line.getFormattedMessage());
        assertFalse(line.getFormattedMessage().contains("secret-payload"), line.getFormattedMessage());
        assertFalse(channel.isActive(), "the connection is closed");
    }

    @Test
    void aPeerThatWentAwayIsLoggedAtDebugOnly() {
        EmbeddedChannel channel = failWith(new SocketException("Connection reset"));

        assertEquals(Level.DEBUG, onlyLine().getLevel());
        assertFalse(channel.isActive(), "the connection is closed");
    }

    @Test
    void anythingElseIsAWarning() {
        EmbeddedChannel channel = failWith(new IllegalStateException("unexpected"));

        assertEquals(Level.WARN, onlyLine().getLevel());
        assertFalse(channel.isActive(), "the connection is closed");
    }

    private static EmbeddedChannel failWith(Throwable failure) {
        LoggingExceptionListener listener = new LoggingExceptionListener();
        EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                assertTrue(listener.exceptionCaught(ctx, failure));
            }
        });
        channel.writeInbound("input");
        return channel;
    }

    private ILoggingEvent onlyLine() {
        List<ILoggingEvent> logged = lines.list;
        assertEquals(1, logged.size(), () -> "lines logged: " + logged);
        return logged.get(0);
    }
}
