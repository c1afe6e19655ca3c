package dev.localrag.core.answer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The prompt templates, kept as resources next to this class. */
final class Prompts {

    private final String system;
    private final String user;

    private Prompts(String system, String user) {
        this.system = system;
        this.user = user;
    }

    static Prompts load() {
        return new Prompts(resource("system-prompt.txt"), resource("user-prompt.txt"));
    }

    String system() {
        return system;
    }

    String user(String question, List<Source> sources) {
        StringBuilder block = new StringBuilder();
        for (Source s : sources) {
            block.append('[')
                    .append(s.n())
                    .append("] ")
                    .append(s.title().isBlank() ? s.path() : s.title())
                    .append(" (")
                    .append(s.path())
                    .append(", chunk ")
                    .append(s.chunk())
                    .append(")\n")
                    .append(s.text().strip())
                    .append("\n\n");
        }
        return user.replace("{{sources}}", block.toString().strip()).replace("{{question}}", question.strip());
    }

    private static String resource(String name) {
        try (InputStream in = Prompts.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("prompt resource " + name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
