package dev.localrag.core.answer;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import dev.localrag.core.ModelUnavailableException;
import dev.localrag.core.config.OllamaSettings;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/** Streams answers from Ollama's {@code /api/chat}. */
public final class OllamaGenerator implements Generator {

    private final OllamaSettings settings;
    private final StreamingChatModel model;

    public OllamaGenerator(OllamaSettings settings) {
        this.settings = settings;
        this.model = OllamaStreamingChatModel.builder()
                .baseUrl(settings.baseUrl().toString())
                .modelName(settings.chatModel())
                .timeout(settings.timeout())
                .temperature(0.2)
                .build();
    }

    @Override
    public String model() {
        return settings.chatModel();
    }

    @Override
    public String generate(String systemPrompt, String userPrompt, Consumer<String> onToken) {
        ChatRequest request = ChatRequest.builder()
                .messages(SystemMessage.from(systemPrompt), UserMessage.from(userPrompt))
                .build();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat(request, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                onToken.accept(partial);
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
            return response.aiMessage().text() == null
                    ? ""
                    : response.aiMessage().text();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ModelUnavailableException(
                    "Ollama chat model " + settings.chatModel() + " at " + settings.baseUrl() + " failed: "
                            + cause.getMessage(),
                    cause);
        }
    }
}
