package io.rzmq.pekko.internal.support;

import io.rzmq.pekko.RzmqSettings;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The aggregation rules on a clock the test moves: one WARN per endpoint and period, then one summary. */
class PeerErrorLogTest {
    static final Duration PERIOD = Duration.ofSeconds(10);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private Logger logger;

    @BeforeEach
    void logger() {
        // A logger of its own (not additive), so that the test's lines are the only ones it sees.
        logger = new LoggerContext().getLogger("peer-errors-" + System.nanoTime());
        logger.setLevel(Level.DEBUG);
        logger.setAdditive(false);
        appender.start();
        logger.addAppender(appender);
    }

    private PeerErrorLog log(int maxEndpoints) {
        return new PeerErrorLog(logger, PERIOD, maxEndpoints, now::get);
    }

    private List<String> at(Level level) {
        return appender.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage)
            .toList();
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void oneWarningPerPeriodThenASummaryAtTheNextOccurrence() {
        PeerErrorLog log = log(10);
        for (int i = 0; i < 21; i++) {
            log.report("tcp://127.0.0.1:5555", "handshake with 127.0.0.1:" + (40000 + i) + " failed: bad key");
            advance(Duration.ofMillis(100));
        }
        assertThat(at(Level.DEBUG)).hasSize(21);
        assertThat(at(Level.WARN)).containsExactly("tcp://127.0.0.1:5555: handshake with 127.0.0.1:40000 failed: bad key");

        advance(PERIOD);
        log.report("tcp://127.0.0.1:5555", "handshake with 127.0.0.1:50000 failed: bad key");
        assertThat(at(Level.WARN)).containsExactly(
            "tcp://127.0.0.1:5555: handshake with 127.0.0.1:40000 failed: bad key",
            "tcp://127.0.0.1:5555: handshake with 127.0.0.1:40000 failed: bad key (and 20 more in the last 10 s)",
            "tcp://127.0.0.1:5555: handshake with 127.0.0.1:50000 failed: bad key");
    }

    @Test
    void endpointsHaveTheirOwnPeriods() {
        PeerErrorLog log = log(10);
        log.report("tcp://a:1", "x");
        log.report("tcp://b:2", "y");
        log.report("tcp://a:1", "x");
        assertThat(at(Level.WARN)).containsExactly("tcp://a:1: x", "tcp://b:2: y");
    }

    @Test
    void aSweepSummarisesPeriodsThatEndedQuietlyAndForgetsThem() {
        PeerErrorLog log = log(10);
        log.report("tcp://a:1", "x");
        log.report("tcp://a:1", "x");
        log.report("tcp://b:2", "y"); // alone in its period: nothing to summarise
        log.sweep();
        assertThat(at(Level.WARN)).hasSize(2);
        advance(PERIOD.plusMillis(1));
        log.sweep();
        assertThat(at(Level.WARN)).containsExactly("tcp://a:1: x", "tcp://b:2: y",
            "tcp://a:1: x (and 1 more in the last 10 s)");
        assertThat(log.tracked()).isZero();
        log.sweep();
        assertThat(at(Level.WARN)).hasSize(3); // summarised once
    }

    @Test
    void flushSummarisesOpenPeriodsWithTheTimeSoFar() {
        PeerErrorLog log = log(10);
        log.report("tcp://a:1", "x");
        advance(Duration.ofMillis(2500));
        log.report("tcp://a:1", "x");
        log.flush();
        assertThat(at(Level.WARN)).containsExactly("tcp://a:1: x", "tcp://a:1: x (and 1 more in the last 3 s)");
    }

    @Test
    void theNumberOfEndpointsTrackedIsBounded() {
        PeerErrorLog log = log(3);
        for (int i = 0; i < 100; i++) {
            log.report("tcp://host:" + i, "refused");
        }
        assertThat(log.tracked()).isEqualTo(4); // three endpoints and the shared window
        assertThat(at(Level.WARN)).containsExactly("tcp://host:0: refused", "tcp://host:1: refused",
            "tcp://host:2: refused", "(other endpoints): tcp://host:3: refused");
        assertThat(at(Level.DEBUG)).hasSize(100);
        log.flush();
        assertThat(at(Level.WARN)).last().isEqualTo(
            "(other endpoints): tcp://host:3: refused (and 96 more in the last 1 s)");
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> new PeerErrorLog(Duration.ZERO, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PeerErrorLog(PERIOD, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(RzmqSettings.create(com.typesafe.config.ConfigFactory.load()).peerErrorPeriod())
            .isEqualTo(Duration.ofSeconds(10));
    }
}
