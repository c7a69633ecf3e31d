package io.notesync.storage;

/**
 * The database did not accept a write or a read; the caller may retry later. Thrown by every
 * repository (notes, users, refresh tokens) and caught by the socket layer, the HTTP API and the
 * CLI, so it lives apart from all of them.
 */
public class StorageUnavailableException extends RuntimeException {
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
