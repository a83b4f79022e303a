package io.rzmq.protocol.fuzz;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.wire.CommandBody;
import io.rzmq.protocol.wire.Commands;
import io.rzmq.protocol.wire.Properties;

import java.util.Arrays;

import static io.rzmq.protocol.fuzz.Invariants.require;

/**
 * Command-body and property-list parsing (Commands, CommandBody, Properties) on arbitrary bytes: every
 * parser sees the same body. Input: a command body (name length, name, data).
 *
 * <p>Invariants: only ZmtpException escapes; results are no larger than the input (a PING context at most
 * 16 bytes); a property list that decodes re-encodes to exactly the bytes it came from, and a READY, ERROR,
 * PING or SUBSCRIBE/CANCEL built from what was parsed parses back to the same thing.
 */
class CommandsFuzzTest {
    @ProtocolFuzzTest
    void parse(byte[] data) {
        Frame body = Frame.wrap(data.clone());
        String[] name = new String[1];
        if (Invariants.protocolOnly(() -> name[0] = CommandBody.name(body)) == null) {
            require(!name[0].isEmpty(), "empty command name");
            Frame payload = CommandBody.data(body);
            Invariants.notAmplified(payload, data.length, "command data");
            require(Commands.describe(body) != null, "describe");
            for (String known : new String[] {Commands.READY, Commands.ERROR, Commands.PING, Commands.PONG,
                Commands.SUBSCRIBE, Commands.CANCEL}) {
                require(CommandBody.is(body, known) == (data[0] == known.length() && name[0].equals(known)),
                    "CommandBody.is disagrees with name() for " + known);
            }
            if (CommandBody.is(body, Commands.SUBSCRIBE)) {
                require(Commands.subscribe(payload).equals(body), "SUBSCRIBE does not rebuild");
            }
            if (CommandBody.is(body, Commands.CANCEL)) {
                require(Commands.cancel(payload).equals(body), "CANCEL does not rebuild");
            }
        } else {
            require(Commands.describe(body) != null, "describe");
        }

        Metadata[] md = new Metadata[1];
        if (Invariants.protocolOnly(() -> md[0] = Commands.parseReady(body)) == null) {
            Invariants.notAmplified(md[0], data.length, "READY metadata");
            Metadata again = Commands.parseReady(Commands.ready(md[0]));
            require(Arrays.equals(Properties.encode(again), Properties.encode(md[0])), "READY does not rebuild");
        }
        String[] reason = new String[1];
        if (Invariants.protocolOnly(() -> reason[0] = Commands.parseError(body)) == null) {
            require(reason[0].length() <= 255, "ERROR reason of " + reason[0].length() + " chars");
            Commands.parseError(Commands.error(reason[0]));
        }
        Commands.Ping[] ping = new Commands.Ping[1];
        if (Invariants.protocolOnly(() -> ping[0] = Commands.parsePing(body)) == null) {
            require(ping[0].context().size() <= Commands.MAX_PING_CONTEXT, "PING context of " + ping[0].context().size());
            require(ping[0].ttlDeciseconds() >= 0 && ping[0].ttlDeciseconds() <= 0xFFFF, "PING TTL " + ping[0].ttlDeciseconds());
            Commands.Ping again = Commands.parsePing(Commands.ping(ping[0].ttlDeciseconds(), ping[0].context()));
            require(again.equals(ping[0]), "PING does not rebuild");
            Commands.parsePong(Commands.pong(ping[0].context()));
        }
        Invariants.protocolOnly(() -> Commands.parsePong(body));

        // The same bytes as a bare property list (READY/INITIATE data, ZAP metadata).
        Metadata[] props = new Metadata[1];
        if (Invariants.protocolOnly(() -> props[0] = Properties.decode(body)) == null) {
            Invariants.notAmplified(props[0], data.length, "metadata");
            Metadata again = Properties.decode(Frame.wrap(Properties.encode(props[0])));
            require(Arrays.equals(Properties.encode(again), Properties.encode(props[0])),
                "property list is not stable under encode + decode");
        }
    }
}
