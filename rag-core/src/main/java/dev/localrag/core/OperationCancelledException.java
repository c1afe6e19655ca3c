package dev.localrag.core;

/** The caller cancelled (interrupted the thread, Ctrl-C, a REST client went away). */
public class OperationCancelledException extends LocalRagException {

    public OperationCancelledException(String message) {
        super(message);
    }
}
