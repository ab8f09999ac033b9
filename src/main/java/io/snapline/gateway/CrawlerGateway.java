package io.snapline.gateway;

import java.time.Instant;
import java.util.Optional;

/** Glue crawlers (StartCrawler, GetCrawler). {@code EntityNotFoundException} is permanent. */
public interface CrawlerGateway {

    /** Starts the crawler; {@code CrawlerRunningException} answers {@link StartResult#ALREADY_RUNNING}. */
    StartResult start(String crawlerName);

    CrawlerInfo get(String crawlerName);

    enum StartResult { STARTED, ALREADY_RUNNING }

    /**
     * @param state           READY, RUNNING or STOPPING
     * @param lastCrawlStatus SUCCEEDED, CANCELLED or FAILED, if it ever ran
     */
    record CrawlerInfo(String name, String state, Optional<String> lastCrawlStatus,
                       Optional<Instant> lastCrawlStart) {
    }
}
