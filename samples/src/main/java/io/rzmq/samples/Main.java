package io.rzmq.samples;

import java.util.Arrays;

/** Entry point of the samples jar: {@code java -jar samples/target/rzmq-samples.jar COMMAND [ARGS]}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        String cmd = args.length == 0 ? "demo" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (cmd) {
            case "demo" -> Demo.main(rest);
            default -> {
                System.err.println("usage: rzmq-samples.jar demo");
                System.exit(2);
            }
        }
    }
}
