package io.notesync.http;

import java.util.Map;

/**
 * Sends an event to every socket of a user, on this node and (in a cluster) on the others: the
 * seam through which a change made over HTTP reaches the user's open pages.
 */
@FunctionalInterface
public interface UserEvents {

    void toEverySocket(String username, String event, Map<String, Object> body);
}
