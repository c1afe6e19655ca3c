package dev.localrag.core.answer;

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
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import dev.localrag.core.ModelUnavailableException;
import dev.localrag.core.config.OllamaSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/** Streams answers from Ollama's {@code /api/chat}. */
public final class OllamaGenerator implements Generator {

    private final OllamaSettings settings;
    private final StreamingChatModel model;

    /** With the default context window ({@link dev.localrag.core.config.AnswerSettings#DEFAULT}). */
    public OllamaGenerator(OllamaSettings settings) {
        this(settings, dev.localrag.core.config.AnswerSettings.DEFAULT.contextTokens());
    }

    /**
     * @param contextTokens the context window to ask Ollama for ({@code num_ctx}); prompts are
     *     budgeted to fit it, so Ollama never cuts them silently
     */
    public OllamaGenerator(OllamaSettings settings, int contextTokens) {
        this.settings = settings;
        this.model = OllamaStreamingChatModel.builder()
                .baseUrl(settings.baseUrl().toString())
                .modelName(settings.chatModel())
                .timeout(settings.timeout())
                .numCtx(contextTokens)
                .temperature(0.2)
                .build();
    }

    @Override
    public String model() {
        return settings.chatModel();
    }

    @Override
    public Generation stream(
            String systemPrompt,
            List<Turn> history,
            String userMessage,
            Consumer<String> onToken,
            Cancellation cancellation) {
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(SystemMessage.from(systemPrompt));
        for (Turn turn : history) {
            messages.add(
                    turn.role() == Turn.Role.USER ? UserMessage.from(turn.content()) : AiMessage.from(turn.content()));
        }
        messages.add(UserMessage.from(userMessage));
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        AtomicReference<StreamingHandle> handle = new AtomicReference<>();
        StringBuilder text = new StringBuilder();
        cancellation.onCancel(() -> {
            StreamingHandle h = handle.get();
            if (h != null) {
                h.cancel();
            }
            done.complete(null);
        });
        model.chat(ChatRequest.builder().messages(messages).build(), new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                handle.set(context.streamingHandle());
                if (cancellation.isCancelled()) {
                    context.streamingHandle().cancel();
                    return;
                }
                text.append(partial.text());
                onToken.accept(partial.text());
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
        try {
            ChatResponse response = done.join();
            if (response == null || cancellation.isCancelled()) {
                return new Generation(text.toString(), false, -1);
            }
            int tokens = response.tokenUsage() != null && response.tokenUsage().outputTokenCount() != null
                    ? response.tokenUsage().outputTokenCount()
                    : -1;
            return new Generation(text.toString(), true, tokens);
        } catch (CompletionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ModelUnavailableException(
                    "Ollama chat model " + settings.chatModel() + " at " + settings.baseUrl() + " failed: "
                            + cause.getMessage(),
                    cause);
        }
    }
}
