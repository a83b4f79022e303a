package io.rzmq.samples.cli;

import io.rzmq.pekko.security.ZCert;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code keygen [FILE] [--meta NAME=VALUE]...}: a new CURVE key pair. Without FILE it prints both keys in
 * Z85 (as libzmq's curve_keygen). With FILE it writes a zcert certificate pair in CZMQ's format: FILE (public
 * key and metadata, for peers) and FILE_secret (both keys, owner-only 0600), which CZMQ, pyzmq's
 * {@code zmq.auth.load_certificate}, rzmq's {@code ZCert} and the {@code zmq} tool's {@code @FILE} keys read.
 */
@Command(name = "keygen", mixinStandardHelpOptions = true, version = "rzmq keygen 0.1",
    description = "Generate a CURVE key pair: print it, or write a zcert certificate (FILE and FILE_secret).")
public final class KeygenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "FILE",
        description = "Write the public certificate to FILE and the secret one to FILE_secret (default: print the keys)")
    Path file;

    @Option(names = {"-m", "--meta"}, paramLabel = "NAME=VALUE",
        description = "Certificate metadata (repeatable), e.g. --meta name=alice; needs FILE")
    List<String> meta = new ArrayList<>();

    @Option(names = {"-f", "--force"}, description = "Overwrite FILE and FILE_secret when they exist")
    boolean force;

    /** Runs {@code keygen} with the tool's conventions; returns the exit code. */
    public static int run(String... args) {
        return commandLine(new KeygenCommand()).execute(args);
    }

    static CommandLine commandLine(KeygenCommand command) {
        return new CommandLine(command).setExpandAtFiles(false);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ZCert cert = ZCert.generate();
        for (String m : meta) {
            int eq = m.indexOf('=');
            if (eq <= 0) {
                err.println("keygen: --meta takes NAME=VALUE, not '" + m + "'");
                return ZmqCli.USAGE;
            }
            try {
                cert = cert.withMeta(m.substring(0, eq), m.substring(eq + 1));
            } catch (IllegalArgumentException e) {
                err.println("keygen: --meta " + m.substring(0, eq) + ": " + e.getMessage());
                return ZmqCli.USAGE;
            }
        }
        if (file == null) {
            if (!meta.isEmpty()) {
                err.println("keygen: --meta needs FILE (printed keys carry no metadata)");
                return ZmqCli.USAGE;
            }
            out.println("public-key = " + cert.publicKeyZ85());
            out.println("secret-key = " + cert.keyPair().orElseThrow().secretKeyZ85());
            out.flush();
            return ZmqCli.OK;
        }
        Path secret = ZCert.secretPathOf(file);
        if (!force && (Files.exists(file) || Files.exists(secret))) {
            err.println("keygen: " + (Files.exists(file) ? file : secret) + " exists; --force overwrites it");
            return ZmqCli.FAILED;
        }
        try {
            cert.save(file);
        } catch (IOException | RuntimeException e) {
            err.println("keygen: cannot write " + file + ": " + e.getMessage());
            return ZmqCli.FAILED;
        }
        out.println("public-key = " + cert.publicKeyZ85());
        out.println("wrote " + file + " (public) and " + secret + " (secret, owner-only)");
        out.flush();
        return ZmqCli.OK;
    }
}
