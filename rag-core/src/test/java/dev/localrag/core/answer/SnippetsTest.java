package dev.localrag.core.answer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SnippetsTest {

    @Test
    void shortTextIsShownWhole() {
        assertThat(Snippets.best(" short text ", "anything", 100)).isEqualTo("short text");
    }

    @Test
    void longTextShowsTheParagraphThatMatchesTheQuestion() {
        String text = "Intro about cloud features and privacy.\n\n".repeat(10)
                + "Ollama binds 127.0.0.1 port 11434 by default. Change the bind address with OLLAMA_HOST.\n\n"
                + "Proxy servers are configured with HTTPS_PROXY.\n\n".repeat(10);

        String snippet = Snippets.best(text, "How do I change the port Ollama listens on?", 200);

        assertThat(snippet).contains("port 11434").hasSizeLessThanOrEqualTo(200 + 4);
    }
}
