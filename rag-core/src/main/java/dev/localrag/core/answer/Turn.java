package dev.localrag.core.answer;

import dev.localrag.core.Checks;

/**
 * One earlier message of a conversation.
 *
 * @param role who said it
 * @param content what was said
 */
public record Turn(Role role, String content) {

    /** Who said a turn. */
    public enum Role {
        USER,
        ASSISTANT
    }

    public Turn {
        Checks.notNull(role, "role");
        Checks.notNull(content, "content");
    }

    public static Turn user(String content) {
        return new Turn(Role.USER, content);
    }

    public static Turn assistant(String content) {
        return new Turn(Role.ASSISTANT, content);
    }
}
