"""A pyzmq (libzmq) REQ client for rzmq's CURVE sample service, with the sample's certificate files.

usage: python3 curve_client.py ENDPOINT CERT_DIR NAME [REQUEST]

Loads CERT_DIR/server (the server's public certificate) and CERT_DIR/NAME_secret (the client's own keys),
sends one request and prints one line: "REPLY <text>" when the server answers, "REFUSED <status>" when
the server's authenticator turns this client away (libzmq's HANDSHAKE_FAILED_AUTH event), or
"NO ANSWER" after 10 s.
"""
import os
import sys

import zmq
import zmq.auth
from zmq.utils.monitor import recv_monitor_message

endpoint, cert_dir, name = sys.argv[1:4]
request = sys.argv[4] if len(sys.argv) > 4 else name + " says hello from pyzmq"

server_public, _ = zmq.auth.load_certificate(os.path.join(cert_dir, "server"))
client_public, client_secret = zmq.auth.load_certificate(os.path.join(cert_dir, name + "_secret"))

ctx = zmq.Context()
req = ctx.socket(zmq.REQ)
req.curve_serverkey = server_public
req.curve_publickey = client_public
req.curve_secretkey = client_secret
req.linger = 0
monitor = req.get_monitor_socket(zmq.EVENT_HANDSHAKE_FAILED_AUTH)
req.connect(endpoint)
req.send_string(request)

poller = zmq.Poller()
poller.register(req, zmq.POLLIN)
poller.register(monitor, zmq.POLLIN)
ready = dict(poller.poll(10000))
if req in ready:
    print("REPLY " + req.recv_string())
elif monitor in ready:
    print("REFUSED %d" % recv_monitor_message(monitor)["value"])
else:
    print("NO ANSWER")
req.disable_monitor()
monitor.close()
req.close()
ctx.term()
