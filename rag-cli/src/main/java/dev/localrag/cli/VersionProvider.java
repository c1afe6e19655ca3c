package dev.localrag.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest (the Maven project version). */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = RagCommand.class.getPackage().getImplementationVersion();
        return new String[] {
            "LocalRAG " + (version == null ? "(development build)" : version),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
        };
    }
}
