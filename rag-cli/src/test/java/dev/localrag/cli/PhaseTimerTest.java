package dev.localrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class PhaseTimerTest {

    @Test
    void theLaunchersEpochNanosecondsAreTheStart() {
        // given what `date +%s%N` printed when the launcher started
        String nanos = "1796000000123456789";

        // then the phases are timed from that instant, to the nanosecond
        assertThat(PhaseTimer.launcherStart(nanos)).contains(Instant.ofEpochSecond(1_796_000_000L, 123_456_789L));
    }

    @Test
    void withoutAUsableValueTheJvmStartIsUsed() {
        // a date without %N (it prints "N"), nothing, or garbage: no launcher start
        assertThat(PhaseTimer.launcherStart("1796000000N")).isEmpty();
        assertThat(PhaseTimer.launcherStart(null)).isEmpty();
        assertThat(PhaseTimer.launcherStart("")).isEmpty();
        assertThat(PhaseTimer.launcherStart("-5")).isEmpty();
    }
}
