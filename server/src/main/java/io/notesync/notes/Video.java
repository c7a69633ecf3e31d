package io.notesync.notes;

/**
 * The canonical identity of a video: notes reached through different URLs of the same video
 * share one {@code key}; {@code url} is the canonical URL shown back to clients.
 */
public record Video(String key, String url) {

    /**
     * The video as the log names it: the key of a known video site; for any other URL only its
     * scheme, host, port and path ({@code url:https://example.com/private/video.mp4}), never the
     * query or fragment, which may carry tokens.
     */
    public String logName() {
        return key.startsWith(VideoUrls.URL_KEY_PREFIX) ? VideoUrls.URL_KEY_PREFIX + hostAndPath(url) : key;
    }

    /** {@code url} without its query and fragment. */
    public static String hostAndPath(String url) {
        int end = url.length();
        int query = url.indexOf('?');
        int fragment = url.indexOf('#');
        if (query >= 0) {
            end = query;
        }
        if (fragment >= 0 && fragment < end) {
            end = fragment;
        }
        return url.substring(0, end);
    }
}
