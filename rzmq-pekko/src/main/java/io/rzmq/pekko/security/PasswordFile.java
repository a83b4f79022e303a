package io.rzmq.pekko.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PLAIN users in CZMQ's password-file format (zhash_load): one {@code name=password} per line. The name
 * is everything before the first '=', the password everything after it, both taken as written (no
 * whitespace trimming, so {@code admin = x} is user "admin " with password " x", as in CZMQ). Lines
 * starting with '#', lines without '=' and lines starting with '=' are skipped; a later line for the same
 * name replaces an earlier one.
 */
public final class PasswordFile {
    private PasswordFile() {
    }

    /** The users in {@code text}. */
    public static Map<String, String> parse(String text) {
        Map<String, String> users = new LinkedHashMap<>();
        for (String line : text.split("\r\n|\n|\r")) {
            int eq = line.indexOf('=');
            if (line.startsWith("#") || eq <= 0) {
                continue;
            }
            users.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return Collections.unmodifiableMap(users);
    }

    /**
     * The users in {@code file} (blocking file I/O: call it off actor threads).
     *
     * @throws IOException when the file cannot be read or is larger than 16 MiB
     */
    public static Map<String, String> load(Path file) throws IOException {
        long size = Files.size(file);
        if (size > 16L << 20) {
            throw new IOException(file + " is " + size + " bytes; refusing to load it as a password file");
        }
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }
}
