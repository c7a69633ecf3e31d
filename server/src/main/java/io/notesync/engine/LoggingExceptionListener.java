package io.notesync.engine;

import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.listener.ExceptionListenerAdapter;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.netty.channel.ChannelHandlerContext;
import io.notesync.logging.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;

/**
 * Logs what netty-socketio could not handle without the payload (it may hold tokens), and closes
 * the channel that caused it; nothing reaches the client but the close.
 */
final class LoggingExceptionListener extends ExceptionListenerAdapter {

    private static final Logger log = LoggerFactory.getLogger(LoggingExceptionListener.class);

    @Override
    public void onEventException(Exception e, List<Object> args, SocketIOClient client) {
        log.error("event listener failed for socket {}", client.getSessionId(), e);
    }

    @Override
    public void onDisconnectException(Exception e, SocketIOClient client) {
        log.error("disconnect listener failed for socket {}", client.getSessionId(), e);
    }

    @Override
    public void onConnectException(Exception e, SocketIOClient client) {
        log.error("connect listener failed for socket {}", client.getSessionId(), e);
    }

    @Override
    public void onAuthException(Throwable e, SocketIOClient client) {
        log.error("auth listener failed for socket {}", client.getSessionId(), e);
    }

    @Override
    public boolean exceptionCaught(ChannelHandlerContext ctx, Throwable e) {
        if (peerWentAway(e)) {
            log.debug("connection {} closed: {}", ctx.channel().remoteAddress(), LogText.of(e.getMessage()));
        } else if (e instanceof IOException) {
            // A frame that did not decode (netty-socketio wraps Jackson's error in an IOException).
            // The class names only: the messages quote the payload, which may hold a token.
            log.info("closing connection {}: a packet did not decode ({})", ctx.channel().remoteAddress(), causes(e));
        } else {
            log.warn("closing connection {}: {}", ctx.channel().remoteAddress(), LogText.of(e.toString()));
        }
        ctx.close();
        return true;
    }

    /**
     * A reset or a broken pipe: routine, and nothing to act on. netty-socketio's decode failures are
     * IOExceptions too, but Jackson's own or wrapping one (its JsonSupportWrapper).
     */
    private static boolean peerWentAway(Throwable e) {
        return e instanceof IOException && e.getCause() == null && !(e instanceof JsonProcessingException);
    }

    private static String causes(Throwable e) {
        StringBuilder names = new StringBuilder();
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            names.append(names.length() == 0 ? "" : " <- ").append(cause.getClass().getSimpleName());
        }
        return names.toString();
    }
}
