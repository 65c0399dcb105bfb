package io.github.superresolve.nn;

/** A model cannot be found, read or used; the message is one sentence for the user. */
public class ModelException extends RuntimeException {
    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
