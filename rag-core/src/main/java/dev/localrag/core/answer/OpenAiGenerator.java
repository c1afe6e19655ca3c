package dev.localrag.core.answer;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.localrag.core.IncompleteAnswerException;
import dev.localrag.core.Internal;
import dev.localrag.core.LocalRagException;
import dev.localrag.core.OperationCancelledException;
import dev.localrag.core.config.OllamaSettings;
import dev.localrag.core.config.OpenAiTarget;
import dev.localrag.core.ollama.ModelServerErrors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * Streams answers from an OpenAI-compatible server ({@code POST /v1/chat/completions}, SSE) with
 * LangChain4j's OpenAI client; errors are mapped by {@link ModelServerErrors}. Spec {@code
 * openai:MODEL@URL}; the API key comes from {@code OPENAI_API_KEY} when set.
 */
@Internal
public final class OpenAiGenerator implements Generator {

    private final OpenAiTarget target;
    private final StreamingChatModel model;

    public OpenAiGenerator(OpenAiTarget target, OllamaSettings settings, String apiKey) {
        this.target = target;
        this.model = OpenAiStreamingChatModel.builder()
                .baseUrl(target.baseUrl().toString())
                .modelName(target.model())
                .apiKey(apiKey)
                .customHeaders(settings.headers())
                .timeout(settings.timeout())
                .temperature(0.2)
                .build();
    }

    @Override
    public String model() {
        return "openai:" + target.model() + "@" + target.baseUrl();
    }

    @Override
    public Generation stream(
            String systemPrompt,
            java.util.List<Turn> history,
            String userPrompt,
            Consumer<String> onToken,
            Cancellation cancellation) {
        java.util.List<dev.langchain4j.data.message.ChatMessage> messages = new java.util.ArrayList<>();
        messages.add(SystemMessage.from(systemPrompt));
        for (Turn turn : history) {
            messages.add(
                    turn.role() == Turn.Role.USER
                            ? UserMessage.from(turn.content())
                            : dev.langchain4j.data.message.AiMessage.from(turn.content()));
        }
        messages.add(UserMessage.from(userPrompt));
        ChatRequest request = ChatRequest.builder().messages(messages).build();
        Thread streaming = Thread.currentThread();
        cancellation.onCancel(streaming::interrupt);
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        StringBuilder text = new StringBuilder();
        model.chat(request, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                text.append(partial);
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
            ChatResponse response = done.get();
            String answer = response.aiMessage().text();
            return new Generation(answer == null ? text.toString() : answer, true, -1);
        } catch (InterruptedException e) {
            if (cancellation.isCancelled()) {
                return new Generation(text.toString(), false, -1);
            }
            Thread.currentThread().interrupt();
            throw new OperationCancelledException("Cancelled the answer from " + model() + ".");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            LocalRagException mapped = ModelServerErrors.forLangChain4j(
                    ModelServerErrors.Dialect.OPENAI, target.baseUrl(), target.model(), cause);
            if (!text.isEmpty()) {
                throw new IncompleteAnswerException(
                        "The answer from " + model() + " stopped before it was complete: " + mapped.getMessage(),
                        text.toString(),
                        mapped);
            }
            throw mapped;
        }
    }
}
