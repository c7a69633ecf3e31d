package io.notesync.notes;

/** A {@code videoUrl} that notesync does not accept; the message says what is wrong with it. */
public class InvalidVideoUrlException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidVideoUrlException(String message) {
        super(message);
    }
}
