package io.rzmq.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** The one table of socket-type capabilities (issue 13 item 4), against libzmq's zmq_socket(3). */
class SocketTypeTest {

    @Test
    void sendAndReceiveAsLibzmq() {
        for (SocketType t : SocketType.values()) {
            assertThat(t.canSend()).as("%s sends", t).isEqualTo(t != SocketType.PULL && t != SocketType.SUB);
            assertThat(t.canReceive()).as("%s receives", t).isEqualTo(t != SocketType.PUSH && t != SocketType.PUB);
        }
    }

    @Test
    void pairingIsSymmetric() {
        for (SocketType a : SocketType.values()) {
            for (SocketType b : SocketType.values()) {
                assertThat(a.canTalkTo(b)).as("%s-%s", a, b).isEqualTo(b.canTalkTo(a));
            }
        }
    }

    @Test
    void typeSpecificOptions() {
        assertThat(typesAccepting(SocketType.Option.CONFLATE)).containsExactlyInAnyOrder(
            SocketType.PUB, SocketType.SUB, SocketType.PUSH, SocketType.PULL, SocketType.DEALER);
        assertThat(typesAccepting(SocketType.Option.PROBE_ROUTER)).containsExactlyInAnyOrder(
            SocketType.ROUTER, SocketType.DEALER, SocketType.REQ);
        assertThat(typesAccepting(SocketType.Option.CONNECT_ROUTING_ID)).containsExactly(SocketType.ROUTER);
        assertThat(typesAccepting(SocketType.Option.XPUB_MANUAL)).containsExactly(SocketType.XPUB);
        assertThat(typesAccepting(SocketType.Option.REQ_CORRELATE)).containsExactly(SocketType.REQ);
    }

    private static EnumSet<SocketType> typesAccepting(SocketType.Option option) {
        EnumSet<SocketType> s = EnumSet.noneOf(SocketType.class);
        for (SocketType t : SocketType.values()) {
            if (t.accepts(option)) {
                s.add(t);
            }
        }
        return s;
    }
}
