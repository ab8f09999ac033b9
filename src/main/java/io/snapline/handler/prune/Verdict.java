package io.snapline.handler.prune;

/** What a plan does with one snapshot or export. */
public enum Verdict {
    /** Selected for deletion: managed, eligible, and no keep rule keeps it. */
    DELETE,
    /** Managed and eligible, but at least one keep rule keeps it. */
    KEEP,
    /** Never deleted whatever the rules say (automated, shared, untagged, in export, …). */
    PROTECTED
}
