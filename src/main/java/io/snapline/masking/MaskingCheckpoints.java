package io.snapline.masking;

/**
 * Where a masking run records the units of work it has finished (a range of a table, a truncate, a
 * whole table, a verification), so that a run after a crash resumes from the last finished unit,
 * and two runs of one clone never work on the same unit at once.
 *
 * <p>The clone itself holds the authoritative progress of each range (written in the range's own
 * transaction), so a crash between a range's commit and {@link #finished} cannot mask that range
 * twice; this store is what a resumed run consults first and what operators see.
 */
public interface MaskingCheckpoints {

    /** The answer to {@link #claim}. */
    enum Claim {
        /** Go ahead: the unit is this run's until {@link #finished} or {@link #abandoned}. */
        ACQUIRED,
        /** A run finished it before: skip it. */
        DONE,
        /** Another run holds it now: stop and retry later. */
        HELD
    }

    /**
     * Claims a unit of one clone's masking.
     *
     * @param cloneId the clone, as {@link MaskingEngine} validated it
     * @param unit    e.g. {@code public.customers#r12}; plain ASCII without {@code #} at the ends
     */
    Claim claim(String cloneId, String unit);

    /**
     * Records the unit as finished, with a short summary (e.g. the rows it changed). Also used
     * without a claim, for records such as a table's completion or the verification figures.
     */
    void finished(String cloneId, String unit, String summary);

    /** True when the unit was recorded as finished. */
    boolean isFinished(String cloneId, String unit);

    /** Gives a claimed unit up after a failure, so a retry may claim it at once. */
    void abandoned(String cloneId, String unit);
}
