package io.snapline.ledger;

import java.util.Locale;
import java.util.Optional;

/**
 * One page of pipelines to list ({@link Ledger#pipelines(PipelineQuery)}), newest first.
 *
 * @param limit  at most this many pipelines (1 to {@link #MAX_LIMIT})
 * @param cursor where the previous page ended ({@link PipelinePage#next()}); empty for the first page
 * @param search case-insensitive text the pipeline's id (ARN) or snapshot identifier contains; empty for all
 * @param filter which pipelines: all, those with a failed step, those with a step waiting or started
 */
public record PipelineQuery(int limit, Optional<String> cursor, Optional<String> search, Filter filter) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 1000;
    /** A search longer than any snapshot ARN matches nothing: it is cut here. */
    public static final int MAX_SEARCH_CHARS = 1024;

    public enum Filter {
        ALL, FAILED, WAITING;

        /** {@code failed} / {@code waiting} (any case), anything else is all. */
        public static Filter parse(String text) {
            if (text == null) {
                return ALL;
            }
            return switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "failed" -> FAILED;
                case "waiting" -> WAITING;
                default -> ALL;
            };
        }

        boolean matches(Pipeline p) {
            return switch (this) {
                case ALL -> true;
                case FAILED -> p.steps().stream().anyMatch(s -> s.state() == StepState.FAILED);
                case WAITING -> p.steps().stream().anyMatch(s -> s.state() == StepState.WAITING
                        || s.state() == StepState.STARTED);
            };
        }
    }

    public PipelineQuery {
        limit = Math.max(1, Math.min(limit, MAX_LIMIT));
        cursor = cursor == null ? Optional.empty() : cursor.filter(c -> !c.isBlank());
        search = search == null ? Optional.empty() : search.map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> s.length() > MAX_SEARCH_CHARS ? s.substring(0, MAX_SEARCH_CHARS) : s);
        filter = filter == null ? Filter.ALL : filter;
    }

    public static PipelineQuery first(int limit) {
        return new PipelineQuery(limit, Optional.empty(), Optional.empty(), Filter.ALL);
    }

    public PipelineQuery after(String next) {
        return new PipelineQuery(limit, Optional.of(next), search, filter);
    }

    /** Whether the pipeline is one this query lists (search and filter; not the cursor). */
    public boolean matches(Pipeline p) {
        if (!filter.matches(p)) {
            return false;
        }
        if (search.isEmpty()) {
            return true;
        }
        String needle = search.get().toLowerCase(Locale.ROOT);
        return p.id().toLowerCase(Locale.ROOT).contains(needle)
                || (p.snapshotIdentifier() != null && p.snapshotIdentifier().toLowerCase(Locale.ROOT).contains(needle));
    }
}
