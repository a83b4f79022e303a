package io.rzmq.testkit;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;

import java.util.HexFormat;
import java.util.StringJoiner;

/** Test messages shared with zmq_peer.py, and the peer's line format. */
public final class Msgs {
    private Msgs() {
    }

    /** Message {@code i} of a generated sequence: every third one is multipart with an empty middle frame. */
    public static Msg generated(int i) {
        if (i % 3 == 2) {
            return Msg.of("part-a-" + i, "", "part-c");
        }
        return Msg.of("msg-" + i);
    }

    /** A message as zmq_peer.py prints it: {@code MSG} and each frame in hex, comma-separated. */
    public static String line(Msg msg) {
        StringJoiner j = new StringJoiner(",", "MSG ", "");
        for (Frame f : msg.frames()) {
            j.add(HexFormat.of().formatHex(f.toByteArray()));
        }
        return j.toString();
    }

    /** Parses a {@code MSG} line back into a message. */
    public static Msg parse(String line) {
        String body = line.substring("MSG ".length());
        String[] parts = body.split(",", -1);
        Frame[] frames = new Frame[parts.length];
        for (int i = 0; i < parts.length; i++) {
            frames[i] = Frame.wrap(HexFormat.of().parseHex(parts[i]));
        }
        return Msg.ofFrames(frames);
    }
}
