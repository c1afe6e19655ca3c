package dev.localrag.cli;

/** The exit codes of {@code rag}, listed in its help. */
public final class ExitCode {

    public static final int OK = 0;
    /** Something failed: an I/O error, a model server error. */
    public static final int FAILURE = 1;
    /** Bad usage or configuration: a flag, a config file, an index built differently. */
    public static final int USAGE = 2;
    /** Ingest finished but some files were skipped. */
    public static final int PARTIAL = 3;
    /** Stopped by Ctrl-C (SIGINT), as shells report it: {@code rag ingest --watch} ends so. */
    public static final int INTERRUPTED = 130;

    private ExitCode() {}
}
