package dev.localrag.server;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import dev.localrag.core.ModelUnavailableException;
import dev.localrag.core.answer.Generation;
import dev.localrag.core.answer.Generator;
import dev.localrag.core.config.OllamaSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Ollama's streaming chat for the server: each request gets a {@link Generator} bound to its
 * conversation history and its {@link Cancellation}. Cancelling (the client left, the server stops)
 * closes the stream to Ollama, which stops generating; so does a token callback that throws.
 */
final class OllamaChatGenerator {

    /** An earlier turn of the conversation. */
    record Turn(String role, String content) {}

    private final OllamaSettings settings;
    private final StreamingChatModel model;

    OllamaChatGenerator(OllamaSettings settings) {
        this.settings = settings;
        this.model = OllamaStreamingChatModel.builder()
                .baseUrl(settings.baseUrl().toString())
                .modelName(settings.chatModel())
                .timeout(settings.timeout())
                .temperature(0.2)
                .build();
    }

    String model() {
        return settings.chatModel();
    }

    Generator forRequest(List<Turn> history, Cancellation cancellation) {
        return new Generator() {
            @Override
            public String model() {
                return settings.chatModel();
            }

            @Override
            public Generation stream(
                    String systemPrompt,
                    List<dev.localrag.core.answer.Turn> requestHistory,
                    String userPrompt,
                    Consumer<String> onToken,
                    dev.localrag.core.answer.Cancellation ignored) {
                // the server's own history and cancellation are bound to this request
                List<ChatMessage> messages = new ArrayList<>();
                messages.add(SystemMessage.from(systemPrompt));
                for (Turn turn : history) {
                    messages.add(
                            turn.role().equals("assistant")
                                    ? AiMessage.from(turn.content())
                                    : UserMessage.from(turn.content()));
                }
                messages.add(UserMessage.from(userPrompt));
                return new Generation(OllamaChatGenerator.this.stream(messages, onToken, cancellation), true, -1);
            }
        };
    }

    /** Carries an exception of the token callback (or a cancellation) through the future. */
    private static final class FromCallback extends RuntimeException {
        final RuntimeException original;

        FromCallback(RuntimeException original) {
            super(original.getMessage(), original, false, false);
            this.original = original;
        }
    }

    private String stream(List<ChatMessage> messages, Consumer<String> onToken, Cancellation cancellation) {
        cancellation.check();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat(ChatRequest.builder().messages(messages).build(), new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                if (done.isDone()) {
                    context.streamingHandle().cancel();
                    return;
                }
                try {
                    cancellation.check();
                    onToken.accept(partial.text());
                } catch (RuntimeException e) {
                    context.streamingHandle().cancel(); // closes the connection: Ollama stops generating
                    done.completeExceptionally(new FromCallback(e));
                }
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        while (true) {
            try {
                ChatResponse response = done.get(100, TimeUnit.MILLISECONDS);
                String text = response.aiMessage().text();
                return text == null ? "" : text;
            } catch (TimeoutException e) {
                cancellation.check();
                if (System.nanoTime() > deadline) {
                    throw new ModelUnavailableException("Ollama chat model " + settings.chatModel() + " at "
                            + settings.baseUrl() + " gave no complete answer within " + settings.timeout());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Cancellation.CancelledException(Cancellation.Reason.SHUTDOWN);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof FromCallback callback) {
                    throw callback.original; // the caller's own exception from the token callback, or a cancellation
                }
                throw new ModelUnavailableException(
                        "Ollama chat model " + settings.chatModel() + " at " + settings.baseUrl() + " failed: "
                                + cause.getMessage(),
                        cause);
            }
        }
    }
}
