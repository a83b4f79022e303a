package io.rzmq.samples;

import io.rzmq.samples.cli.KeygenCommand;
import io.rzmq.samples.cli.MonitorCommand;
import io.rzmq.samples.cli.ProxyCommand;
import io.rzmq.samples.cli.ZmqCli;
import io.rzmq.samples.guide.Forwarder;
import io.rzmq.samples.guide.HelloWorld;
import io.rzmq.samples.guide.LoadBalancingBroker;
import io.rzmq.samples.guide.SecureService;
import io.rzmq.samples.guide.TaskVentilator;
import io.rzmq.samples.guide.Weather;
import io.rzmq.samples.guide.WeatherScala;
import io.rzmq.samples.perf.Perf;
import io.rzmq.samples.soak.SoakCommand;

import java.util.Arrays;

/** Entry point of the samples jar: {@code java -jar samples/target/rzmq-samples.jar COMMAND [ARGS]}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        // Bring SLF4J up on this thread before Pekko's threads log concurrently; otherwise SLF4J prints a
        // "calls intercepted and replayed" warning at the top of every sample's output.
        org.slf4j.LoggerFactory.getILoggerFactory();
        String cmd = args.length == 0 ? "demo" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (cmd) {
            case "demo" -> Demo.main(rest);
            case "hello" -> HelloWorld.main(rest);
            case "weather" -> Weather.main(rest);
            case "weather-scala" -> WeatherScala.main(rest);
            case "ventilator" -> TaskVentilator.main(rest);
            case "broker" -> LoadBalancingBroker.main(rest);
            case "forwarder" -> Forwarder.main(rest);
            case "secure" -> SecureService.main(rest);
            case "zmq" -> System.exit(ZmqCli.run(rest));
            case "keygen" -> System.exit(KeygenCommand.run(rest));
            case "monitor" -> System.exit(MonitorCommand.run(rest));
            case "proxy" -> System.exit(ProxyCommand.run(rest));
            case "local_thr", "remote_thr", "local_lat", "remote_lat" -> System.exit(Perf.run(cmd, rest));
            case "soak" -> System.exit(SoakCommand.run(rest));
            default -> {
                System.err.println("usage: rzmq-samples.jar demo");
                System.err.println("       rzmq-samples.jar hello [REQUESTS]");
                System.err.println("       rzmq-samples.jar weather [ZIP READINGS]");
                System.err.println("       rzmq-samples.jar weather-scala [ZIP READINGS]   (the same, written in Scala)");
                System.err.println("       rzmq-samples.jar ventilator [WORKERS TASKS]");
                System.err.println("       rzmq-samples.jar broker [CLIENTS WORKERS REQUESTS]");
                System.err.println("       rzmq-samples.jar forwarder [MESSAGES_PER_TOPIC]");
                System.err.println("       rzmq-samples.jar secure [CERT_DIR [REQUESTS]]   (CURVE + authenticator; certificates in a temp dir by default)");
                System.err.println("       rzmq-samples.jar secure --serve ENDPOINT CERT_DIR [SECONDS]   (only the CURVE service, for your own clients)");
                System.err.println("       rzmq-samples.jar zmq --type TYPE (--bind|--connect) ENDPOINT [options]  (zmq --help)");
                System.err.println("       rzmq-samples.jar keygen [FILE] [--meta NAME=VALUE]...   (CURVE keys; FILE: zcert certificates FILE and FILE_secret)");
                System.err.println("       rzmq-samples.jar monitor [--type TYPE] ENDPOINT [--until KIND] [--count N]   (a socket's events, live)");
                System.err.println("       rzmq-samples.jar proxy [-F TYPE] [-B TYPE] FRONT BACK [--capture EP]   (zmq_proxy; ROUTER/DEALER by default)");
                System.err.println("       rzmq-samples.jar local_thr|remote_thr|local_lat|remote_lat ENDPOINT SIZE COUNT");
                System.err.println("       rzmq-samples.jar soak [--duration 60s] [--rate N] [--no-libzmq]   (soak --help)");
                System.exit(2);
            }
        }
    }
}
