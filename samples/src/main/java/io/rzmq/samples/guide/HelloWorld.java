package io.rzmq.samples.guide;

import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.Done;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.rzmq.samples.guide.GuideSupport.await;
import static io.rzmq.samples.guide.GuideSupport.isTerminated;

/**
 * The guide's first program: a REP server answers "World" to every "Hello" from a REQ client.
 * The server is a chain of {@code CompletionStage}s (receive, then reply, then receive again), so it holds
 * no thread while it waits; the client awaits each reply in turn.
 */
public final class HelloWorld {
    private HelloWorld() {
    }

    public static void main(String[] args) {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        GuideSupport.runMain("hello", (system, ctx, out) -> run(ctx, "tcp://127.0.0.1:*", requests, out));
    }

    /**
     * Binds a REP server on {@code endpoint}, connects a REQ client, sends {@code requests} requests and
     * returns the replies in order; both sockets are closed on return.
     */
    public static List<String> run(ZContext ctx, String endpoint, int requests, PrintStream out) throws Exception {
        ZSocket server = ZSocket.create(ctx, SocketType.REP);
        ZSocket client = ZSocket.create(ctx, SocketType.REQ);
        try {
            String bound = await(server.bind(endpoint));
            out.println("REP server bound to " + bound);
            CompletableFuture<Integer> served = new CompletableFuture<>();
            serve(server, 0, served);
            await(client.connect(bound));
            out.println("REQ client connected");
            List<String> replies = new ArrayList<>();
            for (int i = 1; i <= requests; i++) {
                await(client.send(Msg.of("Hello", Integer.toString(i))));
                Msg reply = await(client.receive());
                replies.add(reply.firstString() + " " + reply.frame(1).asString());
                out.println("  client sent Hello " + i + ", got " + replies.get(replies.size() - 1));
            }
            await(server.close());
            out.println("server answered " + await(served) + " request(s) and stopped");
            return replies;
        } finally {
            await(client.close());
            await(server.close());
        }
    }

    /** One turn of the server: receive a request, answer it, go round again; stops when the socket closes. */
    private static void serve(ZSocket server, int answered, CompletableFuture<Integer> served) {
        server.receive()
            .thenCompose(request -> server.send(Msg.of("World", request.frame(1).asString())))
            .whenComplete((Done done, Throwable failure) -> {
                if (failure == null) {
                    serve(server, answered + 1, served);
                } else if (isTerminated(failure)) {
                    served.complete(answered);
                } else {
                    served.completeExceptionally(failure);
                }
            });
    }

}
