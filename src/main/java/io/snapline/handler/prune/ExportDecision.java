package io.snapline.handler.prune;

import java.util.List;

/** One export in a plan, with the rules that keep, delete or protect it. */
public record ExportDecision(ExportEntry export, Verdict verdict, List<String> rules) {

    public ExportDecision {
        rules = List.copyOf(rules);
    }

    public String why() {
        return String.join("; ", rules);
    }
}
