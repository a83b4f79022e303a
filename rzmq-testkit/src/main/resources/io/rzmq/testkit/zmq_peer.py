"""A libzmq (pyzmq) peer for rzmq's interop tests. Talks to the test through stdout lines:
READY <endpoint> once bound/connected, MSG <frame hex,...> per message received, DONE at the end.
The test ends it by closing stdin (or by killing it).

Mode "idlepull" (liveness tests): a PULL that reports its monitor events as "EVENT <name>", waits for a
handshake, prints HEARTBEATING once libzmq has had ten HEARTBEAT_IVLs to send PINGs (when one is set), stays
idle for args[0] seconds (no application traffic, heartbeats only), prints IDLED, then
receives one message. Heartbeat options come from the environment (milliseconds): HEARTBEAT_IVL,
HEARTBEAT_TIMEOUT, HEARTBEAT_TTL.

Mode "pushheld" (back-pressure tests): a PUSH that sends args[0] numbered messages [b"<i>", payload of
args[1] bytes, each byte i % 251] without ever blocking in send. When libzmq refuses one (EAGAIN: the pipe
is at SNDHWM because the receiver stopped taking), it waits for room and prints "HELD <sent so far>" after
every 0.5 s without room. Prints "SENT <n>" at the end. SNDHWM (environment) sets its high-water mark.

Security from the environment: CURVE_SERVER_SECRET (CURVE server); CURVE_CLIENT_PUBLIC/_SECRET +
CURVE_SERVER_PUBLIC (CURVE client); PLAIN_SERVER (PLAIN server with a handler admitting admin/secret);
PLAIN_USERNAME/PLAIN_PASSWORD (PLAIN client). MONITOR=1 (any mode but idlepull) prints every monitor
event of the socket as "EVENT <name> <value>" from a background thread.

Mode "drive" (args[0] = socket type, e.g. xsub, sub, xpub): the socket does what the test writes to stdin,
one command per line, and prints "MSG <frame hex,...>" for every message it receives. Commands:
SEND <hex,...> (send_multipart), SUBSCRIBE <hex> / UNSUBSCRIBE <hex> (setsockopt, SUB and manual XPUB),
OPT <name> <int> (setsockopt, e.g. XPUB_MANUAL 1), CLOSE (close the socket and exit), RESUME (start
receiving: with PAUSED=1 in the environment the socket receives nothing until then, a stopped reader). Each command is
answered with "OK <command word>" once done. Options set before bind/connect come from OPTS in the
environment ("NAME=int,NAME=int")."""
import select
import sys
import threading
import time

import zmq


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def stdin_closed(timeout):
    r, _, _ = select.select([sys.stdin], [], [], timeout)
    return bool(r) and sys.stdin.buffer.read1(4096) == b""


def generated(i):
    # Same formula as the Java tests: every third message is multipart with an empty middle frame.
    if i % 3 == 2:
        return [b"part-a-%d" % i, b"", b"part-c"]
    return [b"msg-%d" % i]


EVENT_NAMES = {v: k[len("EVENT_"):] for k, v in vars(zmq).items()
               if k.startswith("EVENT_") and isinstance(v, int) and k != "EVENT_ALL"}


def report_events(monitor, timeout_ms):
    """Prints the monitor events that arrive within timeout_ms; returns the names seen."""
    from zmq.utils.monitor import recv_monitor_message
    seen = []
    deadline = time.time() + timeout_ms / 1000.0
    while True:
        left = max(0, int((deadline - time.time()) * 1000))
        if not monitor.poll(left):
            return seen
        event = recv_monitor_message(monitor)
        name = EVENT_NAMES.get(event["event"], str(event["event"]))
        say("EVENT " + name)
        seen.append(name)


def watch_events(monitor, stop):
    """Background thread: prints each monitor event with its value until stop is set."""
    from zmq.utils.monitor import recv_monitor_message
    while not stop.is_set():
        if monitor.poll(100):
            event = recv_monitor_message(monitor)
            say("EVENT %s %d" % (EVENT_NAMES.get(event["event"], str(event["event"])), event["value"]))
    monitor.close()


def idle_pull(s, monitor, idle_seconds):
    deadline = time.time() + 30
    while time.time() < deadline and "HANDSHAKE_SUCCEEDED" not in report_events(monitor, 100):
        pass
    ivl = int(__import__("os").environ.get("HEARTBEAT_IVL", "0"))
    if ivl > 0:
        # libzmq's I/O thread PINGs every interval: ten intervals on, the peer has been sent some.
        pause = time.time() + 10 * ivl / 1000.0
        while time.time() < pause:
            report_events(monitor, max(1, int((pause - time.time()) * 1000)))
        say("HEARTBEATING")
    end = time.time() + idle_seconds
    while time.time() < end:
        report_events(monitor, max(1, int((end - time.time()) * 1000)))
    say("IDLED")
    poller = zmq.Poller()
    poller.register(s, zmq.POLLIN)
    deadline = time.time() + 30
    while time.time() < deadline:
        if dict(poller.poll(100)).get(s):
            say("MSG " + ",".join(f.hex() for f in s.recv_multipart()))
            break
        report_events(monitor, 0)
    report_events(monitor, 0)
    say("DONE")


def push_held(s, count, size):
    poller = zmq.Poller()
    poller.register(s, zmq.POLLOUT)
    sent = 0
    deadline = time.time() + 120
    while sent < count and time.time() < deadline:
        try:
            s.send_multipart([b"%d" % sent, bytes([sent % 251]) * size], flags=zmq.NOBLOCK, copy=False)
            sent += 1
        except zmq.Again:
            if not poller.poll(500):
                say("HELD %d" % sent)
    say("SENT %d" % sent)
    stdin_closed(60)
def drive(s):
    import os
    paused = os.environ.get("PAUSED") == "1"
    poller = zmq.Poller()
    if not paused:
        poller.register(s, zmq.POLLIN)
    poller.register(sys.stdin, zmq.POLLIN)
    buf = b""
    deadline = time.time() + 120
    while time.time() < deadline:
        events = dict(poller.poll(100))
        if s in events:
            while s.poll(0):
                say("MSG " + ",".join(f.hex() for f in s.recv_multipart()))
        if sys.stdin in events or sys.stdin.fileno() in events:
            chunk = os.read(sys.stdin.fileno(), 1 << 20)  # SEND lines of 1 MiB messages are 2 MiB of hex
            if not chunk:
                return
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                words = line.decode().split()
                if not words:
                    continue
                cmd = words[0]
                if cmd == "SEND":
                    s.send_multipart([bytes.fromhex(h) for h in words[1].split(",")] if len(words) > 1 else [b""])
                elif cmd == "SUBSCRIBE":
                    s.setsockopt(zmq.SUBSCRIBE, bytes.fromhex(words[1]) if len(words) > 1 else b"")
                elif cmd == "UNSUBSCRIBE":
                    s.setsockopt(zmq.UNSUBSCRIBE, bytes.fromhex(words[1]) if len(words) > 1 else b"")
                elif cmd == "OPT":
                    s.setsockopt(getattr(zmq, words[1]), int(words[2]))
                elif cmd == "RESUME" and paused:
                    paused = False
                    poller.register(s, zmq.POLLIN)
                elif cmd == "CLOSE":
                    say("OK CLOSE")
                    return
                say("OK " + cmd)


def main():
    mode, how, endpoint = sys.argv[1], sys.argv[2], sys.argv[3]
    args = sys.argv[4:]
    ctx = zmq.Context()
    kind = {"push": zmq.PUSH, "pull": zmq.PULL, "pub": zmq.PUB, "sub": zmq.SUB,
            "req": zmq.REQ, "rep": zmq.REP, "dealer": zmq.DEALER, "router": zmq.ROUTER,
            "idlepull": zmq.PULL, "pushheld": zmq.PUSH}.get(mode) if mode != "drive" else getattr(zmq, args[0].upper())
    s = ctx.socket(kind)
    s.setsockopt(zmq.LINGER, 5000)
    if mode in ("req", "rep", "dealer", "router"):
        s.setsockopt(zmq.SNDTIMEO, 20000)
        s.setsockopt(zmq.RCVTIMEO, 20000)
    env0 = __import__("os").environ
    for name, opt in (("HEARTBEAT_IVL", zmq.HEARTBEAT_IVL), ("HEARTBEAT_TIMEOUT", zmq.HEARTBEAT_TIMEOUT),
                      ("HEARTBEAT_TTL", zmq.HEARTBEAT_TTL)):
        if env0.get(name):
            s.setsockopt(opt, int(env0[name]))
    if env0.get("SNDHWM"):
        s.setsockopt(zmq.SNDHWM, int(env0["SNDHWM"]))
    monitor = s.get_monitor_socket() if mode == "idlepull" else None
    # Optional security role from the environment: CURVE server secret, or CURVE client keys + server public
    # (Z85), or a PLAIN server.
    env = __import__("os").environ
    auth = None
    if env.get("CURVE_SERVER_SECRET"):
        s.curve_server = True
        s.curve_secretkey = env["CURVE_SERVER_SECRET"].encode()
    elif env.get("PLAIN_SERVER"):
        # libzmq's PLAIN server needs a ZAP handler; this one admits admin/secret only.
        from zmq.auth.thread import ThreadAuthenticator
        auth = ThreadAuthenticator(ctx)
        auth.start()
        auth.configure_plain(domain="*", passwords={"admin": "secret"})
        s.plain_server = True
    elif env.get("CURVE_CLIENT_SECRET"):
        s.curve_publickey = env["CURVE_CLIENT_PUBLIC"].encode()
        s.curve_secretkey = env["CURVE_CLIENT_SECRET"].encode()
        s.curve_serverkey = env["CURVE_SERVER_PUBLIC"].encode()
    elif env.get("PLAIN_USERNAME") is not None:
        s.plain_username = env["PLAIN_USERNAME"].encode()
        s.plain_password = env.get("PLAIN_PASSWORD", "").encode()
    watcher = None
    if env.get("MONITOR") and mode != "idlepull":
        stop_watching = threading.Event()
        watcher = threading.Thread(target=watch_events, args=(s.get_monitor_socket(), stop_watching), daemon=True)
        watcher.start()
    for opt in filter(None, env.get("OPTS", "").split(",")):
        name, value = opt.split("=")
        s.setsockopt(getattr(zmq, name), int(value))
    if env.get("ROUTING_ID"):
        s.setsockopt(zmq.ROUTING_ID, env["ROUTING_ID"].encode())
    if mode == "sub":
        for topic in args[1:]:
            s.setsockopt(zmq.SUBSCRIBE, topic.encode())
    if how == "bind":
        s.bind(endpoint)
    else:
        s.connect(endpoint)
    say("READY " + s.getsockopt(zmq.LAST_ENDPOINT).decode())

    if mode == "push":
        for i in range(int(args[0])):
            s.send_multipart(generated(i))
        say("SENT")
        stdin_closed(30)
    elif mode in ("pull", "sub"):
        count = int(args[0])  # -1: until stdin closes
        poller = zmq.Poller()
        poller.register(s, zmq.POLLIN)
        poller.register(sys.stdin, zmq.POLLIN)
        received = 0
        deadline = time.time() + 60
        while (count < 0 or received < count) and time.time() < deadline:
            events = dict(poller.poll(1000))
            if s in events:
                frames = s.recv_multipart()
                received += 1
                say("MSG " + ",".join(f.hex() for f in frames))
            elif events and sys.stdin.buffer.read1(4096) == b"":
                break
        say("DONE %d" % received)
    elif mode == "idlepull":
        idle_pull(s, monitor, float(args[0]))
    elif mode == "pushheld":
        push_held(s, int(args[0]), int(args[1]))
    elif mode == "drive":
        drive(s)
    elif mode in ("req", "dealer"):
        # Requests: generated(i) (a DEALER puts the empty delimiter in front itself); prints each reply.
        for i in range(int(args[0])):
            frames = generated(i)
            s.send_multipart(frames if mode == "req" else [b""] + frames)
            say("MSG " + ",".join(f.hex() for f in s.recv_multipart()))
        say("DONE %d" % int(args[0]))
        stdin_closed(30)
    elif mode in ("rep", "router"):
        # Echo servers: print each request, reply with it plus a "from-libzmq" frame (a ROUTER's request
        # starts with the routing id, so the echo goes back to the sender).
        count = int(args[0])  # -1: until stdin closes
        poller = zmq.Poller()
        poller.register(s, zmq.POLLIN)
        poller.register(sys.stdin, zmq.POLLIN)
        received = 0
        deadline = time.time() + 60
        while (count < 0 or received < count) and time.time() < deadline:
            events = dict(poller.poll(1000))
            if s in events:
                frames = s.recv_multipart()
                received += 1
                say("MSG " + ",".join(f.hex() for f in frames))
                s.send_multipart(frames + [b"from-libzmq"])
            elif events and sys.stdin.buffer.read1(4096) == b"":
                break
        say("DONE %d" % received)
        stdin_closed(30)
    elif mode == "pub":
        i = 0
        deadline = time.time() + 60
        while time.time() < deadline:
            s.send_multipart([b"A-%d" % i, b"payload"])
            s.send_multipart([b"B-%d" % i, b"payload"])
            i += 1
            if stdin_closed(0.005):
                break
    if monitor is not None:
        s.disable_monitor()
        monitor.close()
    if watcher is not None:
        stop_watching.set()
        watcher.join(5)
        s.disable_monitor()
    s.close()
    if auth is not None:
        auth.stop()
    ctx.term()


if __name__ == "__main__":
    main()
