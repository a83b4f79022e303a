package io.rzmq.pekko.arch;

import com.tngtech.archunit.library.freeze.ViolationLineMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether a violation found now is one already frozen in the store (set as
 * {@code freeze.lineMatcher} in archunit.properties).
 *
 * <p>A package cycle is identified by its slices alone. ArchUnit's text of a cycle also lists every
 * class dependency along it, so by default one more call along an existing cycle edge would count as
 * a "new" cycle and fail every branch that touches those classes; new upward dependencies are still
 * caught one by one by the layer rule. Any other violation must match exactly, ignoring line numbers
 * and the numbers javac gives anonymous classes and lambdas (so moving code inside a file is not
 * a new violation).
 */
public final class FrozenViolationMatcher implements ViolationLineMatcher {

    private static final String CYCLE = "Cycle detected:";
    private static final Pattern SLICE = Pattern.compile("Slice ([\\w.$]+)");
    private static final Pattern LINE_NUMBER = Pattern.compile("\\.(java|kt|scala):\\d+\\)");
    private static final Pattern SYNTHETIC_NUMBER = Pattern.compile("\\$(lambda\\$\\w+\\$)?\\d+");

    @Override
    public boolean matches(String frozen, String found) {
        if (frozen.startsWith(CYCLE) && found.startsWith(CYCLE)) {
            return slicesOf(frozen).equals(slicesOf(found));
        }
        return normalized(frozen).equals(normalized(found));
    }

    /** The cycle's slices in order, from its first line ("Slice a -> Slice b -> ... -> Slice a"). */
    static List<String> slicesOf(String cycle) {
        int details = cycle.indexOf("1. Dependencies of");
        String head = details < 0 ? cycle : cycle.substring(0, details);
        List<String> slices = new ArrayList<>();
        Matcher m = SLICE.matcher(head);
        while (m.find()) {
            slices.add(m.group(1));
        }
        return slices;
    }

    static String normalized(String line) {
        String s = LINE_NUMBER.matcher(line).replaceAll(".$1:0)");
        return SYNTHETIC_NUMBER.matcher(s).replaceAll("\\$0");
    }
}
