"""A libzmq (pyzmq) peer for rzmq's interop tests. Talks to the test through stdout lines:
READY <endpoint> once bound/connected, MSG <frame hex,...> per message received, DONE at the end.
The test ends it by closing stdin (or by killing it)."""
import select
import sys
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


def main():
    mode, how, endpoint = sys.argv[1], sys.argv[2], sys.argv[3]
    args = sys.argv[4:]
    ctx = zmq.Context()
    kind = {"push": zmq.PUSH, "pull": zmq.PULL, "pub": zmq.PUB, "sub": zmq.SUB,
            "req": zmq.REQ, "rep": zmq.REP}[mode]
    s = ctx.socket(kind)
    s.setsockopt(zmq.LINGER, 5000)
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
    elif mode == "rep":
        # Answers each request with "re:" + its first frame (other frames kept).
        s.setsockopt(zmq.RCVTIMEO, 30000)
        count = int(args[0])
        for _ in range(count):
            frames = s.recv_multipart()
            say("MSG " + ",".join(f.hex() for f in frames))
            s.send_multipart([b"re:" + frames[0]] + frames[1:])
        say("DONE %d" % count)
        stdin_closed(30)
    elif mode == "req":
        s.setsockopt(zmq.RCVTIMEO, 30000)
        for i in range(int(args[0])):
            s.send(b"req-%d" % i)
            frames = s.recv_multipart()
            say("MSG " + ",".join(f.hex() for f in frames))
        say("DONE")
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
    s.close()
    if auth is not None:
        auth.stop()
    ctx.term()


if __name__ == "__main__":
    main()
