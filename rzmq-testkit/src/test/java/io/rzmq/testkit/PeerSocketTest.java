package io.rzmq.testkit;

import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The testkit's two peers against each other over tcp, each side binding once: PUSH to PULL and a REQ/REP
 * round trip with a multipart message (empty middle frame included), so that what the testkit says it
 * sent is what the other implementation received.
 */
class PeerSocketTest {
    @BeforeAll
    static void needsPyzmq() {
        assumeTrue(LibzmqSocket.available(), "needs /usr/bin/python3 with pyzmq");
    }

    private static PeerSocket bound(boolean libzmq, SocketType type) {
        return libzmq ? LibzmqSocket.bind(type, "tcp://127.0.0.1:*") : JeromqSocket.bind(type, "tcp://127.0.0.1:*");
    }

    private static PeerSocket connected(boolean libzmq, SocketType type, String endpoint) {
        return libzmq ? LibzmqSocket.connect(type, endpoint) : JeromqSocket.connect(type, endpoint);
    }

    @ParameterizedTest(name = "libzmq binds: {0}")
    @ValueSource(booleans = {true, false})
    void pushToPull(boolean libzmqBinds) {
        try (PeerSocket pull = bound(libzmqBinds, SocketType.PULL);
             PeerSocket push = connected(!libzmqBinds, SocketType.PUSH, pull.endpoint())) {
            Msg msg = Msg.of("a", "", "c");
            push.send(msg);
            assertThat(pull.receive()).isEqualTo(msg);
        }
    }

    @ParameterizedTest(name = "libzmq binds: {0}")
    @ValueSource(booleans = {true, false})
    void requestAndReply(boolean libzmqBinds) {
        try (PeerSocket rep = bound(libzmqBinds, SocketType.REP);
             PeerSocket req = connected(!libzmqBinds, SocketType.REQ, rep.endpoint())) {
            req.send(Msg.of("question"));
            assertThat(rep.receive()).isEqualTo(Msg.of("question"));
            rep.send(Msg.of("answer", "2"));
            assertThat(req.receive()).isEqualTo(Msg.of("answer", "2"));
        }
    }
}
