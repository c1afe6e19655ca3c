package dev.localrag.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChatGateTest {

    @Test
    void admitsRunningPlusQueuedThenRefuses() throws Exception {
        ChatGate gate = new ChatGate(1, 1);

        ChatGate.Ticket first = gate.tryEnter();
        ChatGate.Ticket second = gate.tryEnter();

        assertThat(first).isNotNull();
        assertThat(second).isNotNull();
        assertThat(gate.tryEnter()).isNull();
        assertThat(gate.inFlight()).isEqualTo(2);
        first.close();
        assertThat(gate.tryEnter()).isNotNull();
    }

    @Test
    void aQueuedTicketGivesUpWhenCancelled() throws Exception {
        ChatGate gate = new ChatGate(1, 1);
        ChatGate.Ticket running = gate.tryEnter();
        running.awaitTurn(new RequestCancellation(), () -> {});
        ChatGate.Ticket waiting = gate.tryEnter();
        RequestCancellation cancellation = new RequestCancellation();
        cancellation.cancel(RequestCancellation.Reason.CLIENT_GONE);

        assertThatThrownBy(() -> waiting.awaitTurn(cancellation, () -> {}))
                .isInstanceOf(RequestCancellation.CancelledException.class);
        waiting.close();
        running.close();
        assertThat(gate.inFlight()).isZero();
    }
}
