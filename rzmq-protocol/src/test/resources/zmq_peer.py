"""libzmq peer for rzmq's interop tests (run with /usr/bin/python3, needs pyzmq).

usage: zmq_peer.py bind TYPE            binds tcp://127.0.0.1:<random>, prints "PORT <n>"
       zmq_peer.py connect TYPE PORT    connects to tcp://127.0.0.1:PORT

DEALER/ROUTER/PAIR/PUSH...: sends ["hello", "from libzmq"] once (unless PULL/SUB), then echoes
every received multipart message back as ["echo", *parts] until it receives ["END"].
SUB: subscribes to "news", prints "GOT <parts joined by |>" for each message, stops on "news-END".
PUB: publishes ["news", "n"] and ["other", "x"] every 20 ms until stdin closes or 20 s pass.
ROUTER: sends nothing first; answers [rid, ...] with [rid, "echo-from-router", rid, ...].
Environment: ZMQ_PEER_HEARTBEAT=<ms> sets ZMQ_HEARTBEAT_IVL (libzmq then sends PING).
Exits by itself after 20 s in any case.
"""
import os
import sys
import time

import zmq

mode, type_name = sys.argv[1], sys.argv[2]
ctx = zmq.Context()
sock = ctx.socket(getattr(zmq, type_name))
sock.setsockopt(zmq.LINGER, 2000)
if type_name == "SUB":
    sock.setsockopt(zmq.SUBSCRIBE, b"news")
if os.environ.get("ZMQ_PEER_HEARTBEAT"):
    sock.setsockopt(zmq.HEARTBEAT_IVL, int(os.environ["ZMQ_PEER_HEARTBEAT"]))
if mode == "bind":
    port = sock.bind_to_random_port("tcp://127.0.0.1")
    print("PORT %d" % port, flush=True)
else:
    sock.connect("tcp://127.0.0.1:%s" % sys.argv[3])
    print("CONNECTING", flush=True)

deadline = time.time() + 20
poller = zmq.Poller()
poller.register(sock, zmq.POLLIN)

if type_name == "PUB":
    while time.time() < deadline:
        sock.send_multipart([b"news", b"n"])
        sock.send_multipart([b"other", b"x"])
        time.sleep(0.02)
    sys.exit(0)

if type_name not in ("SUB", "PULL", "ROUTER"):
    sock.send_multipart([b"hello", b"from libzmq"])

while time.time() < deadline:
    if not poller.poll(100):
        continue
    parts = sock.recv_multipart()
    if type_name == "SUB":
        print("GOT " + "|".join(p.decode("latin-1") for p in parts), flush=True)
        if parts[0] == b"news-END":
            break
        continue
    if type_name == "ROUTER":
        if parts[1:] == [b"END"]:
            print("DONE", flush=True)
            break
        sock.send_multipart([parts[0], b"echo-from-router", parts[0]] + parts[1:])
        continue
    if parts == [b"END"]:
        print("DONE", flush=True)
        break
    sock.send_multipart([b"echo"] + parts)
sock.close()
ctx.term()
