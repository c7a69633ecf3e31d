package io.notesync.notes;

/** The database did not accept a write or a read; the client may retry later. */
public class StorageUnavailableException extends RuntimeException {
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
