package io.rzmq.pekko.internal.socket;

import io.rzmq.pekko.RzmqSettings;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The per-peer subscription limits in the trie, the settings, and the inproc exemption. */
class SubscriptionLimitTest extends PatternTestSupport {

    private static Frame t(String s) {
        return Frame.of(s);
    }

    @Test
    void theTopicLimitIsExactAndARepeatOrACancelDoesNotCount() {
        PipeTrie<String> trie = new PipeTrie<>();
        for (int i = 0; i < 3; i++) {
            assertThat(trie.add(t("a" + i), "p", 3, -1)).isNotEqualTo(PipeTrie.REFUSED);
        }
        assertThat(trie.add(t("a0"), "p", 3, -1)).isEqualTo(PipeTrie.UNCHANGED); // a repeat at the limit
        assertThat(trie.add(t("a3"), "p", 3, -1)).isEqualTo(PipeTrie.REFUSED);
        assertThat(trie.contains(t("a3"), "p")).isFalse();
        assertThat(trie.add(t("a3"), "q", 3, -1)).isEqualTo(PipeTrie.TOPIC_CHANGED); // per pipe
        assertThat(trie.remove(t("a1"), "p")).isEqualTo(PipeTrie.TOPIC_CHANGED);
        assertThat(trie.add(t("a3"), "p", 3, -1)).isEqualTo(PipeTrie.PIPE_CHANGED);
        assertThat(trie.topicCount("p")).isEqualTo(3);
        assertThat(trie.checkShape()).isNull();
        assertThat(trie.add(t("x"), "r", 0, -1)).isEqualTo(PipeTrie.REFUSED);
    }

    @Test
    void theByteLimitIsExact() {
        PipeTrie<String> trie = new PipeTrie<>();
        assertThat(trie.add(t("abcdef"), "p", -1, 10)).isEqualTo(PipeTrie.TOPIC_CHANGED);
        assertThat(trie.add(t("wxyz"), "p", -1, 10)).isEqualTo(PipeTrie.TOPIC_CHANGED); // 10 bytes
        assertThat(trie.add(t(""), "p", -1, 10)).isEqualTo(PipeTrie.TOPIC_CHANGED); // "everything" costs 0 bytes
        assertThat(trie.add(t("z"), "p", -1, 10)).isEqualTo(PipeTrie.REFUSED);
        assertThat(trie.topicBytes("p")).isEqualTo(10);
        trie.remove(t("wxyz"), "p");
        assertThat(trie.topicBytes("p")).isEqualTo(6);
        assertThat(trie.add(t("1234"), "p", -1, 10)).isEqualTo(PipeTrie.TOPIC_CHANGED);
        assertThat(trie.add(t("12345678901"), "q", -1, 10)).isEqualTo(PipeTrie.REFUSED); // one topic too long
        assertThat(trie.checkShape()).isNull();
        trie.removePipe("p", null);
        assertThat(trie.topicBytes("p")).isZero();
    }

    @Test
    void settingsHaveFiniteDefaultsAndMinusOneMeansNoLimit() {
        SocketOptions d = RzmqSettings.create(ConfigFactory.load()).socketDefaults();
        assertThat(d.maxSubscriptions()).isEqualTo(SocketOptions.DEFAULT_MAX_SUBSCRIPTIONS).isEqualTo(100_000);
        assertThat(d.maxSubscriptionBytes()).isEqualTo(SocketOptions.DEFAULT_MAX_SUBSCRIPTION_BYTES)
            .isEqualTo(16L << 20);
        SocketOptions none = RzmqSettings.create(ConfigFactory.parseString(
                "rzmq.socket-defaults { max-subscriptions = -1, max-subscription-bytes = -1 }")
            .withFallback(ConfigFactory.load())).socketDefaults();
        assertThat(none.maxSubscriptions()).isEqualTo(-1);
        assertThat(none.maxSubscriptionBytes()).isEqualTo(-1);
        assertThat(RzmqSettings.create(ConfigFactory.parseString("rzmq.socket-defaults.max-subscription-bytes = 1k")
            .withFallback(ConfigFactory.load())).socketDefaults().maxSubscriptionBytes()).isEqualTo(1024);
        assertThatThrownBy(() -> SocketOptions.defaults().withMaxSubscriptions(-2))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SocketOptions.defaults().withMaxSubscriptionBytes(-2))
            .isInstanceOf(IllegalArgumentException.class);
    }

    /** An inproc subscriber is this process's own code: it is not limited (see Distributor.limited). */
    @Test
    void inprocPeersAreNotLimited() {
        ZSocket pub = socket(SocketType.PUB, SocketOptions.defaults().withLinger(Duration.ZERO)
            .withMaxSubscriptions(2));
        ZSocket sub = socket(SocketType.SUB);
        result(sub.connect(bind(pub, Via.INPROC)));
        for (int i = 0; i < 5; i++) {
            result(sub.subscribe(("t" + i).getBytes()));
        }
        Msg last = Msg.ofFrames(Frame.of("t4"));
        Msg[] got = new Msg[1];
        until("the fifth subscription applies", () -> {
            result(pub.send(last));
            got[0] = sub.tryReceive();
            return got[0] != null;
        });
        assertThat(got[0]).isEqualTo(last);
    }
}
