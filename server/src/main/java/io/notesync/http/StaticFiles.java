package io.notesync.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The web app, the reference client and the socket.io-client browser bundle, from the jar. Read
 * once at start (they are small) and answered with an ETag, so browsers revalidate cheaply. Sits
 * ahead of netty-socketio, because the bundle lives under its path as it does on the Node server.
 *
 * <p>Every answer carries the pages' {@link ContentSecurityPolicy}, {@code Referrer-Policy:
 * no-referrer} (a page URL never leaks to other servers) and {@code nosniff}. HEAD answers the
 * headers GET would, {@code Content-Length} included.
 */
@ChannelHandler.Sharable
public final class StaticFiles extends ChannelInboundHandlerAdapter {

    public static final String NAME = "notesyncStaticFiles";

    private record File(byte[] content, String contentType, String etag, String cacheControl) {
    }

    /** URL path to classpath resource under {@code web/}. */
    private static final Map<String, String> ROUTES = Map.ofEntries(
            Map.entry("/", "index.html"),
            Map.entry("/index.html", "index.html"),
            Map.entry("/app.js", "app.js"),
            Map.entry("/notes-format.js", "notes-format.js"),
            Map.entry("/app.css", "app.css"),
            Map.entry("/client/notesync-client.js", "client/notesync-client.js"),
            Map.entry("/socket.io/socket.io.js", "socket.io/socket.io.js"),
            Map.entry("/socket.io/socket.io.js.map", "socket.io/socket.io.js.map"),
            Map.entry("/socket.io/socket.io.min.js", "socket.io/socket.io.min.js"),
            Map.entry("/socket.io/socket.io.min.js.map", "socket.io/socket.io.min.js.map"),
            Map.entry("/socket.io/socket.io.esm.min.js", "socket.io/socket.io.esm.min.js"),
            Map.entry("/socket.io/socket.io.esm.min.js.map", "socket.io/socket.io.esm.min.js.map"));

    private final Map<String, File> files = new LinkedHashMap<>();
    private final ContentSecurityPolicy policy;

    public StaticFiles(ContentSecurityPolicy policy) {
        this.policy = policy;
        ROUTES.forEach((path, resource) -> files.put(path, load(resource)));
    }

    private static File load(String resource) {
        try (InputStream in = StaticFiles.class.getResourceAsStream("/web/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("web/" + resource + " is missing from the jar; rebuild with mvn package");
            }
            byte[] content = in.readAllBytes();
            String etag = '"' + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content), 0, 8) + '"';
            // The page itself is revalidated every time, so a deploy shows at once; the rest too,
            // since the names carry no version: the ETag makes that a 304.
            return new File(content, contentType(resource), etag, "public, max-age=0, must-revalidate");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String contentType(String resource) {
        if (resource.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (resource.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        if (resource.endsWith(".map")) {
            return "application/json; charset=utf-8";
        }
        return "application/javascript; charset=utf-8";
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        File file = files.get(new QueryStringDecoder(request.uri()).path());
        boolean readable = HttpMethod.GET.equals(request.method()) || HttpMethod.HEAD.equals(request.method());
        if (file == null || !readable) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            boolean notModified = file.etag().equals(request.headers().get(HttpHeaderNames.IF_NONE_MATCH));
            boolean withBody = !notModified && HttpMethod.GET.equals(request.method());
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    notModified ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.OK,
                    withBody ? Unpooled.wrappedBuffer(file.content()) : Unpooled.EMPTY_BUFFER);
            boolean tls = ctx.pipeline().get(SslHandler.class) != null;
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, file.contentType())
                    .set(HttpHeaderNames.ETAG, file.etag())
                    .set(HttpHeaderNames.CACHE_CONTROL, file.cacheControl())
                    .set(HttpHeaderNames.CONTENT_SECURITY_POLICY, policy.forRequest(request.headers().get(HttpHeaderNames.HOST), tls))
                    .set("Referrer-Policy", "no-referrer")
                    .set("X-Content-Type-Options", "nosniff")
                    // HEAD and 304 too: the length a 200 to GET sends (RFC 9110 8.6), with no body.
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, file.content().length);
            HttpResponses.send(ctx, HttpUtil.isKeepAlive(request), response);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }
}
