package io.github.superresolve.nn;

/**
 * A model file refused as damaged, hostile or not a model: the message is the sentence for whoever
 * asked for that file, {@link #reason()} the same finding as a clause, for a list that skips the file
 * and goes on with the others ({@link ModelCatalog#skipped()}).
 */
public final class BadModelFile extends ModelException {

    private final String file;
    private final String reason;

    /**
     * @param file    the file as shown to the user (control characters escaped)
     * @param reason  what is wrong, a clause without a final period, e.g. "its model-card.json holds more than 1 MB"
     * @param message the whole sentence
     */
    BadModelFile(String file, String reason, String message) {
        super(message);
        this.file = file;
        this.reason = reason;
    }

    /** The file, as shown in the message (control characters escaped). */
    public String file() {
        return file;
    }

    /** What is wrong with it, a clause: "it is not a zip archive", "it holds the entry X twice"... */
    public String reason() {
        return reason;
    }
}
