"""A libzmq (pyzmq) peer for the rzmq soak runner (io.rzmq.samples.soak). The runner kills it with SIGKILL
and starts it again; it talks to the runner through stdout lines and ends cleanly when stdin closes.

  push ENDPOINT SENDER INCARNATION RATE  connect a PUSH, send [SENDER, INCARNATION, seq] from seq 0 at RATE/s;
                                         on stdin EOF: print "SENT <n>", flush (linger) and exit
  pull ENDPOINT                          connect a PULL, check that seqs of [sender, inc, seq] are consecutive;
                                         print "FIRST <seq>", "AT <seq> <count>" twice a second,
                                         "VIOLATION <what>"; on stdin EOF: print "DONE <last> <count>" and exit
  rep ENDPOINT                           connect a REP, echo each request; on stdin EOF exit
CURVE client keys come from the environment (CURVE_SERVER_PUBLIC; the client's own pair is generated)."""
import os
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


def main():
    mode, endpoint = sys.argv[1], sys.argv[2]
    args = sys.argv[3:]
    ctx = zmq.Context()
    kind = {"push": zmq.PUSH, "pull": zmq.PULL, "rep": zmq.REP}[mode]
    s = ctx.socket(kind)
    s.setsockopt(zmq.LINGER, 10000)
    s.setsockopt(zmq.RECONNECT_IVL, 100)
    if os.environ.get("CURVE_SERVER_PUBLIC"):
        public, secret = zmq.curve_keypair()
        s.curve_publickey = public
        s.curve_secretkey = secret
        s.curve_serverkey = os.environ["CURVE_SERVER_PUBLIC"].encode()
    s.connect(endpoint)
    say("READY")

    if mode == "push":
        sender, incarnation, rate = args[0].encode(), args[1].encode(), int(args[2])
        seq = 0
        batch = max(1, rate // 50)
        while True:
            for _ in range(batch):
                s.send_multipart([sender, incarnation, b"%d" % seq])
                seq += 1
            if stdin_closed(batch / float(rate)):
                break
        say("SENT %d" % seq)
    elif mode == "pull":
        poller = zmq.Poller()
        poller.register(s, zmq.POLLIN)
        poller.register(sys.stdin, zmq.POLLIN)
        last = None
        count = 0
        next_report = time.time() + 0.5
        while True:
            events = dict(poller.poll(100))
            if s in events:
                while True:
                    try:
                        frames = s.recv_multipart(zmq.NOBLOCK)
                    except zmq.Again:
                        break
                    seq = int(frames[2])
                    if last is None:
                        say("FIRST %d" % seq)
                    elif seq != last + 1:
                        say("VIOLATION expected seq %d, got %d" % (last + 1, seq))
                    last = seq
                    count += 1
            if time.time() >= next_report:
                say("AT %d %d" % (-1 if last is None else last, count))
                next_report = time.time() + 0.5
            if sys.stdin.fileno() in events or sys.stdin in events:
                if sys.stdin.buffer.read1(4096) == b"":
                    break
        say("DONE %d %d" % (-1 if last is None else last, count))
    elif mode == "rep":
        poller = zmq.Poller()
        poller.register(s, zmq.POLLIN)
        poller.register(sys.stdin, zmq.POLLIN)
        while True:
            events = dict(poller.poll(200))
            if s in events:
                s.send_multipart(s.recv_multipart())
            if sys.stdin.fileno() in events or sys.stdin in events:
                if sys.stdin.buffer.read1(4096) == b"":
                    break
    s.close()
    ctx.term()


if __name__ == "__main__":
    main()
