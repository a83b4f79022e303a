package io.rzmq.pekko.stream;

import io.rzmq.pekko.model.RzmqException;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Helpers shared by the stream stages. */
final class StageSupport {
    private StageSupport() {
    }

    /** The real failure behind CompletableFuture's wrappers. */
    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static boolean isCode(Throwable t, RzmqException.Code code) {
        return unwrap(t) instanceof RzmqException re && re.code() == code;
    }
}
